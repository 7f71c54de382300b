/**
 * What a structured format's extractor makes of a file: the text a reader sees (which passages
 * and quotes are verbatim slices of), in blocks that know where they are in the document.
 */
export interface ExtractedText {
  /** Blocks separated by blank lines; a block is a heading, a paragraph, a list item, a table row, a code block. */
  text: string;
  blocks: DocumentBlock[];
  /** From the file's own metadata (front matter, `<title>`), when it has one. */
  title: string | null;
  url: string | null;
}

export interface DocumentBlock {
  /** Offsets into the extracted text. */
  start: number;
  end: number;
  /** Headings name sections; only content blocks become passages. */
  kind: 'heading' | 'content';
  /** Where the block is, as the document's readers navigate it: null before its first heading. */
  section: DocumentSection | null;
  /** The block's lines in the file itself (1-based), where the format has lines. */
  fileLines: { start: number; end: number } | null;
}

export interface DocumentSection {
  /** The headings above the block, outermost first, joined: "Installation › Linux". */
  label: string;
  /** The fragment the section's heading has on the web ("linux"), for a link to it. */
  anchor: string | null;
}

/** Joins heading texts the way citations show a section's place. */
export function sectionLabel(headings: readonly string[]): string {
  return headings.join(' › ');
}
