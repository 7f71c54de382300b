import type { SourceLine } from './lines.js';
import { urlOf } from './line-kinds.js';

const TITLE_MAX_CHARS = 120;
/** A title made of a text's opening words stays short: it is not a heading the author wrote. */
const OPENING_MAX_CHARS = 60;
// A URL stated by the document itself sits at its top, as in a clipped article.
const URL_SEARCH_LINES = 5;

/** `text` cut at a word boundary to at most `max` characters, marked with `…` when cut. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max - 1);
  return `${text.slice(0, cut > max / 2 ? cut : max - 1).replace(/[\s,;:–—-]+$/, '')}…`;
}

/** `title:` in a front-matter block (`---` … `---`) at the top of the file. */
function frontMatterTitle(lines: SourceLine[]): string | null {
  if (lines[0]?.text.trim() !== '---') return null;
  for (const line of lines.slice(1)) {
    if (line.text.trim() === '---') return null;
    const match = /^title:\s*(.+?)\s*$/.exec(line.text);
    const title = match?.[1]!.replace(/^(["'])(.*)\1$/, '$2').trim();
    if (title) return title;
  }
  return null;
}

/** The lines after a front-matter block, or all of them. */
function afterFrontMatter(lines: SourceLine[]): SourceLine[] {
  if (lines[0]?.text.trim() !== '---') return lines;
  const end = lines.findIndex((line, i) => i > 0 && line.text.trim() === '---');
  return end < 0 ? lines : lines.slice(end + 1);
}

/** The file name as words, when it has some ("harbour-tolls_2024.md" → "Harbour tolls 2024"); null for ids and hashes. */
function fileNameTitle(fileName: string): string | null {
  const words = fileName
    .replace(/\.[^.]+$/, '')
    .split(/[\s_.-]+/)
    .filter((word) => word !== '' && !/^(?=.*\d)(?=.*[a-z])[0-9a-f]{6,}$/i.test(word));
  if (!words.some((word) => /^[a-z]{3,}$/i.test(word))) return null;
  const joined = words.join(' ');
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

/**
 * A title that reads as one: `title:` in front matter, else the document's heading (its first
 * content line when that is not a sentence), else the file name when it is made of words, else
 * the opening words of the text. Never a whole sentence: it heads every result from the file.
 */
export function titleOf(lines: SourceLine[], fileName: string): string {
  const front = frontMatterTitle(lines);
  if (front) return shorten(front, TITLE_MAX_CHARS);
  const first = afterFrontMatter(lines).find((candidate) => candidate.kind === 'heading' || candidate.kind === 'text');
  const text = first?.text
    .trim()
    .replace(/^#{1,6}\s+/, '')
    .replace(/^[-–—*•]\s+/, '');
  if (first?.kind === 'heading' && text) return shorten(text, TITLE_MAX_CHARS);
  return fileNameTitle(fileName) ?? (text ? shorten(text, OPENING_MAX_CHARS) : fileName);
}

export function urlOfDocument(lines: SourceLine[]): string | null {
  const top = lines.filter((line) => line.kind !== 'blank').slice(0, URL_SEARCH_LINES);
  const line = top.find((candidate) => candidate.kind === 'url');
  return line ? urlOf(line.text) : null;
}
