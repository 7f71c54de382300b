import type { SourceLine } from './lines.js';

/** A corpus file as loaded: its text verbatim, with what a citation needs to name it. */
export interface SourceDocument {
  /** Path relative to the corpus folder, with `/` separators: the citation's file name. */
  source: string;
  title: string;
  url: string | null;
  /** The decoded file text (a leading byte-order mark removed); passages are slices of it. */
  text: string;
  /** sha256 of the file's bytes: what incremental re-indexing compares. */
  hash: string;
  bytes: number;
  lines: SourceLine[];
}

export interface SkippedFile {
  source: string;
  reason: string;
  /** Empty or unreadable at the moment it was read: perhaps caught mid-rewrite, so its last indexed version is kept. */
  transient?: boolean;
}
