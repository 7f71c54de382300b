import path from 'node:path';
import type { ExtractedText } from './extracted.js';
import { DOCX_EXTRACTOR, extractDocx } from './docx.js';
import { extractHtml, HTML_EXTRACTOR } from './html.js';
import { extractMarkdown, MARKDOWN_EXTRACTOR } from './markdown.js';
import { extractPdf, PDF_EXTRACTOR } from './pdf.js';

/**
 * How the files of one kind are read: plain text as it is, a text format (UTF-8) through its
 * extractor, a binary format from its bytes.
 */
export type DocumentReader =
  | { kind: 'plain' }
  | { kind: 'text'; extract(text: string): ExtractedText }
  | { kind: 'binary'; extract(bytes: Uint8Array): Promise<ExtractedText> };

export interface DocumentFormat {
  /** Names the extraction, with its version: a document indexed by another is extracted again. */
  extractor: string;
  /** What "could not be parsed as …" names when extraction fails. */
  name: string;
  reader: DocumentReader;
}

/** What every index before extractors were recorded read files as. */
export const PLAIN_TEXT_EXTRACTOR = 'text@1';

const PLAIN_TEXT: DocumentFormat = { extractor: PLAIN_TEXT_EXTRACTOR, name: 'text', reader: { kind: 'plain' } };
const MARKDOWN: DocumentFormat = { extractor: MARKDOWN_EXTRACTOR, name: 'Markdown', reader: { kind: 'text', extract: extractMarkdown } };
const HTML: DocumentFormat = { extractor: HTML_EXTRACTOR, name: 'HTML', reader: { kind: 'text', extract: extractHtml } };
const PDF: DocumentFormat = { extractor: PDF_EXTRACTOR, name: 'a PDF', reader: { kind: 'binary', extract: extractPdf } };
const DOCX: DocumentFormat = { extractor: DOCX_EXTRACTOR, name: 'a Word document', reader: { kind: 'binary', extract: extractDocx } };

const BY_EXTENSION: ReadonlyMap<string, DocumentFormat> = new Map([
  ['.txt', PLAIN_TEXT],
  ['.md', MARKDOWN],
  ['.markdown', MARKDOWN],
  ['.html', HTML],
  ['.htm', HTML],
  ['.pdf', PDF],
  ['.docx', DOCX],
]);

/** The file extensions the corpus reads (lower case, with the dot). */
export const CORPUS_EXTENSIONS: ReadonlySet<string> = new Set(BY_EXTENSION.keys());
/** The extensions as messages list them: ".txt, .md, …". */
export const CORPUS_FILE_TYPES = [...CORPUS_EXTENSIONS].join(', ');

/** The format of a corpus file, by its extension, or undefined for files the corpus does not read. */
export function formatOf(fileName: string): DocumentFormat | undefined {
  return BY_EXTENSION.get(path.extname(fileName).toLowerCase());
}
