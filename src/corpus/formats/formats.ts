import path from 'node:path';
import type { ExtractedText } from './extracted.js';
import { extractMarkdown, MARKDOWN_EXTRACTOR } from './markdown.js';

/** How the files of one kind are read. */
export interface DocumentFormat {
  /** Names the extraction, with its version: a document indexed by another is extracted again. */
  extractor: string;
  /** Null: the decoded text is the document as it is (plain text, read line by line). */
  extract: ((text: string) => ExtractedText) | null;
  /** What "could not be parsed as …" names when extraction fails. */
  name: string;
}

/** What every index before extractors were recorded read files as. */
export const PLAIN_TEXT_EXTRACTOR = 'text@1';

const PLAIN_TEXT: DocumentFormat = { extractor: PLAIN_TEXT_EXTRACTOR, extract: null, name: 'text' };
const MARKDOWN: DocumentFormat = { extractor: MARKDOWN_EXTRACTOR, extract: extractMarkdown, name: 'Markdown' };

const BY_EXTENSION: ReadonlyMap<string, DocumentFormat> = new Map([
  ['.txt', PLAIN_TEXT],
  ['.md', MARKDOWN],
  ['.markdown', MARKDOWN],
]);

/** The file extensions the corpus reads (lower case, with the dot). */
export const CORPUS_EXTENSIONS: ReadonlySet<string> = new Set(BY_EXTENSION.keys());

/** The format of a corpus file, by its extension, or undefined for files the corpus does not read. */
export function formatOf(fileName: string): DocumentFormat | undefined {
  return BY_EXTENSION.get(path.extname(fileName).toLowerCase());
}
