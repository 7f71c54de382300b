import type { DocumentSection } from '../corpus/formats/extracted.js';
import type { SourceLine } from '../corpus/lines.js';
import { splitSentences, type Span } from './sentences.js';

/** A run of content lines that a reader sees as one paragraph. */
export interface Paragraph {
  /** 1-based count of the blocks a reader sees in the file (headings and links included); in a structured document, of its section's content blocks. */
  number: number;
  start: number;
  end: number;
  lineStart: number;
  lineEnd: number;
  sentences: Span[];
  /** A structured document's section and the block's lines in its file (see `DocumentBlock`). */
  section?: DocumentSection | null;
  fileLines?: { start: number; end: number } | null;
}

function contentSpan(line: SourceLine): Span {
  const leading = line.text.length - line.text.trimStart().length;
  const trailing = line.text.length - line.text.trimEnd().length;
  return { start: line.start + leading, end: line.end - trailing };
}

/**
 * In files whose paragraphs are separated by blank lines, a block is judged as a whole: a
 * hard-wrapped line holds no complete sentence by itself, yet belongs to the prose around it.
 * Markdown headings, links and boilerplate keep their own kind.
 */
function blockKinds(lines: SourceLine[]): SourceLine['kind'][] {
  const kinds = lines.map((line) => line.kind);
  let blockStart = 0;
  for (let i = 0; i <= lines.length; i += 1) {
    if (i < lines.length && kinds[i] !== 'blank') continue;
    const block = kinds.slice(blockStart, i);
    if (block.includes('text')) {
      for (let j = blockStart; j < i; j += 1) {
        if (kinds[j] === 'heading' && !/^\s*#/.test(lines[j]!.text)) kinds[j] = 'text';
      }
    }
    blockStart = i + 1;
  }
  return kinds;
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
  const kinds = blankSeparated ? blockKinds(lines) : lines.map((line) => line.kind);
  const paragraphs: Paragraph[] = [];
  let blockNumber = 0;
  let previousKind: SourceLine['kind'] | undefined;
  let open: Omit<Paragraph, 'sentences'> | undefined;
  const close = () => {
    if (open) paragraphs.push({ ...open, sentences: splitSentences(text, open.start, open.end) });
    open = undefined;
  };
  lines.forEach((line, i) => {
    const kind = kinds[i]!;
    const continuesBlock =
      blankSeparated && previousKind !== undefined && previousKind !== 'blank' && (previousKind === 'text') === (kind === 'text');
    if (kind !== 'blank' && !continuesBlock) blockNumber += 1;
    if (kind === 'text' && continuesBlock && open) {
      open.end = contentSpan(line).end;
      open.lineEnd = line.number;
    } else {
      close();
      if (kind === 'text') {
        open = { number: blockNumber, ...contentSpan(line), lineStart: line.number, lineEnd: line.number };
      }
    }
    previousKind = kind;
  });
  close();
  return paragraphs;
}
