import type { DocumentBlock } from './formats/extracted.js';
import type { SourceLine } from './lines.js';

/** A corpus file as loaded: its text verbatim, with what a citation needs to name it. */
export interface SourceDocument {
  /** Path relative to the corpus folder, with `/` separators: the citation's file name. */
  source: string;
  title: string;
  url: string | null;
  /**
   * What passages are slices of: for plain text the decoded file (a leading byte-order mark
   * removed), for a structured format the text its extractor read from the file.
   */
  text: string;
  /** sha256 of the file's bytes: what incremental re-indexing compares. */
  hash: string;
  bytes: number;
  /** The lines of `text`. */
  lines: SourceLine[];
  /** The extraction that read it (`formats.ts`), with its version. */
  extractor: string;
  /** A structured format's blocks, with their sections; null for plain text, read by its lines. */
  blocks: DocumentBlock[] | null;
}

export interface SkippedFile {
  source: string;
  reason: string;
  /** Empty or unreadable at the moment it was read: perhaps caught mid-rewrite, so its last indexed version is kept. */
  transient?: boolean;
}
