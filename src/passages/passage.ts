import type { Span } from './sentences.js';

/** A passage as chunking produces it: a verbatim slice of one document. */
export interface PassageDraft {
  source: string;
  /** 0-based position among the document's passages. */
  ordinal: number;
  /** Offsets into the document text: `text === document.text.slice(start, end)`. */
  start: number;
  end: number;
  /** The file's lines (1-based); 0 for formats without lines (HTML, PDF, Word). */
  lineStart: number;
  lineEnd: number;
  /** In a structured document, counted within its section. */
  paragraphStart: number;
  paragraphEnd: number;
  text: string;
  /** Sentence spans relative to `start`, so quotes need no segmentation at query time. */
  sentences: Span[];
  /** In a structured document, the section it is in ("Installation › Linux") and its heading's anchor. */
  section?: string;
  anchor?: string;
}

/** A passage in an index: a draft with the id its vectors and postings are stored under. */
export interface Passage extends PassageDraft {
  id: number;
}

/** The document's URL, at the passage's section where it has an anchor. */
export function urlOfPassage(documentUrl: string | null, passage: PassageDraft): string | null {
  if (documentUrl === null || passage.anchor === undefined) return documentUrl;
  return `${documentUrl.replace(/#.*$/su, '')}#${encodeURIComponent(passage.anchor).replace(/%3D/gu, '=')}`;
}

/**
 * Where a passage is, as its readers navigate the document: in plain text its paragraphs and
 * lines; in a structured document its section and, where the format has lines, the file's
 * lines, else its paragraphs within the section.
 */
export function locationOf(passage: PassageDraft): string {
  const paragraphs =
    passage.paragraphStart === passage.paragraphEnd
      ? `paragraph ${passage.paragraphStart}`
      : `paragraphs ${passage.paragraphStart}–${passage.paragraphEnd}`;
  const lines =
    passage.lineStart === passage.lineEnd ? `line ${passage.lineStart}` : `lines ${passage.lineStart}–${passage.lineEnd}`;
  if (passage.lineStart === 0) return passage.section === undefined ? paragraphs : `${passage.section}, ${paragraphs}`;
  return passage.section === undefined ? `${paragraphs}, ${lines}` : `${passage.section}, ${lines}`;
}
