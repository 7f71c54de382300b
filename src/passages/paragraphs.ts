import type { SourceLine } from '../corpus/lines.js';
import { splitSentences, type Span } from './sentences.js';

/** A run of content lines that a reader sees as one paragraph. */
export interface Paragraph {
  /** 1-based count of the blocks a reader sees in the file (headings and links included). */
  number: number;
  start: number;
  end: number;
  lineStart: number;
  lineEnd: number;
  sentences: Span[];
}

function contentSpan(line: SourceLine): Span {
  const leading = line.text.length - line.text.trimStart().length;
  const trailing = line.text.length - line.text.trimEnd().length;
  return { start: line.start + leading, end: line.end - trailing };
}

/**
 * Finds the paragraphs of a document. Files that separate paragraphs with blank lines (most
 * Markdown) join consecutive content lines into one paragraph, so hard-wrapped prose stays
 * whole; files without blank lines (clipped articles) hold one paragraph per line.
 */
export function paragraphsOf(text: string, lines: SourceLine[]): Paragraph[] {
  const blankSeparated = lines.some(
    (line, i) => line.kind === 'blank' && i > 0 && i < lines.length - 1 && lines[i - 1]?.kind !== 'blank',
  );
  const paragraphs: Paragraph[] = [];
  let blockNumber = 0;
  let previous: SourceLine | undefined;
  let open: Omit<Paragraph, 'sentences'> | undefined;
  const close = () => {
    if (open) paragraphs.push({ ...open, sentences: splitSentences(text, open.start, open.end) });
    open = undefined;
  };
  for (const line of lines) {
    const continuesBlock =
      blankSeparated && previous !== undefined && previous.kind !== 'blank' && (previous.kind === 'text') === (line.kind === 'text');
    if (line.kind !== 'blank' && !continuesBlock) blockNumber += 1;
    if (line.kind === 'text' && continuesBlock && open) {
      open.end = contentSpan(line).end;
      open.lineEnd = line.number;
    } else {
      close();
      if (line.kind === 'text') {
        open = { number: blockNumber, ...contentSpan(line), lineStart: line.number, lineEnd: line.number };
      }
    }
    previous = line;
  }
  close();
  return paragraphs;
}
