import { createRequire } from 'node:module';
import path from 'node:path';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import type { ExtractedText } from './extracted.js';
import { ExtractedTextBuilder } from './text-builder.js';

/** Bump when the same PDF would extract differently: its passages are rebuilt. */
export const PDF_EXTRACTOR = 'pdf@1';

// The fonts PDFs name without embedding them; pdf.js reads their metrics from its own package.
const STANDARD_FONTS = `${path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}${path.sep}`;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/**
 * pdf.js, loaded when the first PDF is read. Its build for Node 20 (the "legacy" one) carries
 * core-js, which replaces two built-ins for the whole process with JavaScript versions:
 * `Array.prototype.push` and `JSON.parse`. Every push and every JSON.parse in the process then
 * ran through them (the bot's searches, index loading, the gateway's messages): at 100k passages
 * they took about a tenth of each question's time. pdf.js works on the natives, so they are put
 * back as soon as it has loaded; a process that reads no PDF never loads it.
 */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= (async () => {
    const { push } = Array.prototype;
    const { parse } = JSON;
    try {
      const library = await import('pdfjs-dist/legacy/build/pdf.mjs');
      // In Node pdf.js parses in this thread, with its worker's module, which carries core-js
      // too: loaded here (pdf.js finds it on globalThis.pdfjsWorker), so that no later import
      // replaces the built-ins again.
      await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
      return library;
    } finally {
      Object.defineProperty(Array.prototype, 'push', { value: push });
      Object.defineProperty(JSON, 'parse', { value: parse });
    }
  })();
  return pdfjs;
}

interface Line {
  text: string;
  /** Baseline height on the page (PDF units, from the bottom). */
  y: number;
  size: number;
}

interface Page {
  lines: Line[];
  height: number;
}

/** How far from the top or bottom edge a running header or footer sits, as a share of the page. */
const EDGE_SHARE = 0.12;

/** A line's text with its page number (or any number) made neutral, to recognise a running header or footer. */
const runningForm = (text: string) => text.toLowerCase().replace(/\d+/gu, '#').replace(/\s+/gu, ' ').trim();

/**
 * The page's text items as lines, in the order the PDF writes them: a writer lays out a page
 * column by column, so that order is the reading order, where sorting by position would read
 * across two columns. Items on one baseline, next to each other in that order, are one line.
 */
function linesOf(items: readonly TextItem[]): Line[] {
  const lines: { y: number; size: number; parts: { x: number; end: number; text: string }[] }[] = [];
  for (const item of items) {
    if (item.str.trim() === '') continue;
    const x = item.transform[4] as number;
    const placed = { text: item.str, x, end: x + item.width, y: item.transform[5] as number, size: Math.abs(item.height) || Math.abs(item.transform[3] as number) || 1 };
    const line = lines.at(-1);
    // Items of one line share a baseline, give or take a superscript.
    if (line && Math.abs(line.y - placed.y) <= Math.max(line.size, placed.size) * 0.4) line.parts.push(placed);
    else lines.push({ y: placed.y, size: placed.size, parts: [placed] });
  }
  return lines.map((line) => {
    const parts = line.parts.sort((a, b) => a.x - b.x);
    // Pieces of one word (a change of font inside it) touch; pieces with a gap between are words apart.
    const text = parts.map((part, i) => (i > 0 && part.x - parts[i - 1]!.end > line.size * 0.15 ? ' ' : '') + part.text).join('');
    return { text: text.replace(/\s+/gu, ' ').trim(), y: line.y, size: line.size };
  });
}

/** A page's lines near its top or bottom edge: where running headers and footers sit. */
function edgeLines({ lines, height }: Page): Line[] {
  return lines.filter((line) => line.y > height * (1 - EDGE_SHARE) || line.y < height * EDGE_SHARE);
}

/**
 * Lines that run at the top or bottom of most pages (a title, "Page 3 of 9", a bare page
 * number): the layout's, not the text's. Judged on two pages or more, and dropped only where
 * they run, at the page's edges; the same words in the body are text.
 */
function runningLines(pages: readonly Page[]): Set<string> {
  if (pages.length < 2) return new Set();
  const seen = new Map<string, number>();
  for (const page of pages) {
    for (const form of new Set(edgeLines(page).map((line) => runningForm(line.text)))) seen.set(form, (seen.get(form) ?? 0) + 1);
  }
  const needed = Math.max(2, Math.ceil(pages.length / 2));
  return new Set([...seen].filter(([, count]) => count >= needed).map(([form]) => form));
}

/** Joins a paragraph's lines, undoing the hyphenation of a word broken at a line end ("com-" + "pleted"). */
function joinLines(lines: readonly string[]): string {
  return lines.reduce((text, line) => (text === '' ? line : /\p{L}-$/u.test(text) && /^\p{Ll}/u.test(line) ? `${text.slice(0, -1)}${line}` : `${text} ${line}`), '');
}

/**
 * A page's lines as paragraphs: a gap clearly wider than the page's usual line spacing starts
 * one, and so does a line above the one before it (the top of the next column).
 */
function paragraphsOf(lines: readonly Line[]): string[] {
  const gaps = lines
    .slice(1)
    .map((line, i) => lines[i]!.y - line.y)
    .filter((gap) => gap > 0)
    .sort((a, b) => a - b);
  // The lower median: on a short page, paragraph gaps must not pass for the line spacing.
  const usual = gaps[Math.floor((gaps.length - 1) / 2)] ?? 0;
  const paragraphs: string[][] = [];
  lines.forEach((line, i) => {
    const gap = i === 0 ? Infinity : lines[i - 1]!.y - line.y;
    if (i === 0 || gap <= 0 || gap > Math.max(usual * 1.4, line.size * 1.6)) paragraphs.push([line.text]);
    else paragraphs.at(-1)!.push(line.text);
  });
  return paragraphs.map(joinLines);
}

/**
 * A PDF's text with pdf.js (Mozilla's PDF reader), page by page: lines in the order written,
 * paragraphs from the spacing, words hyphenated at a line end joined, and the running headers
 * and footers repeated on most pages dropped. Each page is a section ("page 4"), linked as
 * `#page=4` when the PDF names its URL (its document information's `URL` entry). The title is
 * the document information's Title.
 */
export async function extractPdf(bytes: Uint8Array): Promise<ExtractedText> {
  // pdf.js takes over (detaches) the buffer it is given: it gets a copy, and the caller keeps its bytes.
  const { getDocument, VerbosityLevel } = await loadPdfJs();
  const task = getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONTS, verbosity: VerbosityLevel.ERRORS, isEvalSupported: false });
  try {
    const pdf = await task.promise;
    const info = (await pdf.getMetadata()).info as Record<string, unknown>;
    // pdf.js puts the entries the PDF standard does not define (such as URL) under Custom.
    const custom = (typeof info.Custom === 'object' && info.Custom !== null ? info.Custom : {}) as Record<string, unknown>;
    const field = (name: string) => {
      const value = info[name] ?? custom[name];
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
    };
    const pages: Page[] = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const page = await pdf.getPage(number);
      const lines = linesOf((await page.getTextContent()).items.filter((item): item is TextItem => 'str' in item));
      pages.push({ lines, height: page.view[3]! - page.view[1]! });
      page.cleanup();
    }
    const running = runningLines(pages);
    const builder = new ExtractedTextBuilder(field('Title'));
    pages.forEach((page, i) => {
      builder.startSection({ label: `page ${i + 1}`, anchor: `page=${i + 1}` });
      const edges = new Set(edgeLines(page));
      const body = page.lines.filter((line) => !(edges.has(line) && running.has(runningForm(line.text))));
      for (const paragraph of paragraphsOf(body)) builder.content(paragraph);
    });
    const url = field('URL');
    return builder.build(url !== null && /^https?:\/\//i.test(url) ? url : null);
  } finally {
    // Also when the file does not open: the worker and its copy of the bytes go either way.
    await task.destroy();
  }
}
