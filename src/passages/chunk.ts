import type { SourceDocument } from '../corpus/document.js';
import type { DocumentBlock, DocumentSection } from '../corpus/formats/extracted.js';
import { isNearDuplicate, wordSet } from './near-duplicates.js';
import { paragraphsOf, type Paragraph } from './paragraphs.js';
import type { PassageDraft } from './passage.js';
import { sentencesWithinLimit, type CountedSpan } from './long-sentences.js';
import { splitSentences, type Span } from './sentences.js';

/** Bump when chunking changes what passages an unchanged file yields: indexes built before are rebuilt. */
export const CHUNKING_VERSION = 2;

export interface ChunkingOptions {
  /** The most tokens the embedding model reads; longer passages would be embedded in part. */
  maxTokens: number;
  /** Passages smaller than this are merged into an adjacent one where it fits. */
  minTokens: number;
  countTokens: (text: string) => number;
}

export interface ChunkedDocument {
  passages: PassageDraft[];
  /** Passages dropped because the document already holds (nearly) the same text. */
  duplicates: number;
}

interface Piece {
  sentences: Span[];
  tokens: number;
  paragraphStart: number;
  paragraphEnd: number;
  /** A structured document's section (the same object for every block under one heading). */
  section: DocumentSection | null;
  fileLines: { start: number; end: number } | null;
}

/**
 * A structured document's content blocks as paragraphs, numbered within their section (a
 * reader finds "Spring tides, paragraph 2" by its heading, where a count from the top of a web
 * page or a Word file would be no help).
 */
function blockParagraphs(text: string, blocks: readonly DocumentBlock[]): Paragraph[] {
  const counts = new Map<DocumentSection | null, number>();
  return blocks.flatMap((block) => {
    if (block.kind !== 'content') return [];
    const number = (counts.get(block.section) ?? 0) + 1;
    counts.set(block.section, number);
    const lines = block.fileLines ?? { start: 0, end: 0 };
    return [{ number, start: block.start, end: block.end, lineStart: lines.start, lineEnd: lines.end, sentences: splitSentences(text, block.start, block.end), section: block.section, fileLines: block.fileLines }];
  });
}

/** Splits a paragraph's sentences into pieces of about equal size, none above `maxTokens`. */
function splitParagraph(paragraph: Paragraph, sentences: CountedSpan[], maxTokens: number): Piece[] {
  const total = sentences.reduce((sum, sentence) => sum + sentence.tokens, 0);
  const target = total / Math.max(1, Math.ceil(total / maxTokens));
  const pieces: Piece[] = [];
  let current: Piece | undefined;
  sentences.forEach(({ tokens, ...sentence }) => {
    const fits = current !== undefined && current.tokens + tokens <= maxTokens;
    // Close a piece once it reaches the balanced target, so the last piece is not a scrap.
    if (current && fits && current.tokens + tokens / 2 <= target) {
      current.sentences.push(sentence);
      current.tokens += tokens;
      return;
    }
    current = {
      sentences: [sentence],
      tokens,
      paragraphStart: paragraph.number,
      paragraphEnd: paragraph.number,
      section: paragraph.section ?? null,
      fileLines: paragraph.fileLines ?? null,
    };
    pieces.push(current);
  });
  return pieces;
}

function adjacent(text: string, left: Piece, right: Piece): boolean {
  const gapStart = left.sentences.at(-1)?.end ?? 0;
  const gapEnd = right.sentences[0]?.start ?? 0;
  // Only whitespace between them: merging keeps the passage a verbatim slice with no boilerplate inside.
  return text.slice(gapStart, gapEnd).trim() === '';
}

/** Merges pieces below `minTokens` into an adjacent neighbour while the result fits. */
function mergeSmallPieces(text: string, pieces: Piece[], { maxTokens, minTokens }: ChunkingOptions): Piece[] {
  const merged = [...pieces];
  for (let i = 0; i < merged.length; ) {
    const piece = merged[i]!;
    if (piece.tokens >= minTokens) {
      i += 1;
      continue;
    }
    const candidates = [i - 1, i + 1].filter((j) => {
      const neighbour = merged[j];
      // A passage never straddles a heading: its citation names one section.
      if (!neighbour || neighbour.tokens + piece.tokens > maxTokens || neighbour.section !== piece.section) return false;
      return j < i ? adjacent(text, neighbour, piece) : adjacent(text, piece, neighbour);
    });
    const j = candidates.sort((a, b) => merged[a]!.tokens - merged[b]!.tokens)[0];
    if (j === undefined) {
      i += 1;
      continue;
    }
    const [left, right] = j < i ? [merged[j]!, piece] : [piece, merged[j]!];
    merged.splice(Math.min(i, j), 2, {
      sentences: [...left.sentences, ...right.sentences],
      tokens: left.tokens + right.tokens,
      paragraphStart: left.paragraphStart,
      paragraphEnd: right.paragraphEnd,
      section: left.section,
      fileLines: left.fileLines && right.fileLines ? { start: left.fileLines.start, end: right.fileLines.end } : null,
    });
    i = Math.min(i, j);
  }
  return merged;
}

function lineAt(document: SourceDocument, offset: number): number {
  let low = 0;
  let high = document.lines.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (document.lines[middle]!.start <= offset) low = middle;
    else high = middle - 1;
  }
  return document.lines[low]?.number ?? 1;
}

export function chunkDocument(document: SourceDocument, options: ChunkingOptions): ChunkedDocument {
  const { text } = document;
  const paragraphs = document.blocks === null ? paragraphsOf(text, document.lines) : blockParagraphs(text, document.blocks);
  const pieces = paragraphs.flatMap((paragraph) =>
    splitParagraph(
      paragraph,
      sentencesWithinLimit(text, paragraph.sentences, options.maxTokens, options.countTokens),
      options.maxTokens,
    ),
  );
  const passages: PassageDraft[] = [];
  const seen: Set<string>[] = [];
  let duplicates = 0;
  for (const piece of mergeSmallPieces(text, pieces, options)) {
    const start = piece.sentences[0]!.start;
    const end = piece.sentences.at(-1)!.end;
    const passageText = text.slice(start, end);
    const words = wordSet(passageText);
    if (seen.some((earlier) => isNearDuplicate(earlier, words))) {
      duplicates += 1;
      continue;
    }
    seen.push(words);
    passages.push({
      source: document.source,
      ordinal: passages.length,
      start,
      end,
      // A structured document cites the lines of the file (0: a format without lines), not of the text read from it.
      lineStart: document.blocks === null ? lineAt(document, start) : (piece.fileLines?.start ?? 0),
      lineEnd: document.blocks === null ? lineAt(document, end - 1) : (piece.fileLines?.end ?? 0),
      paragraphStart: piece.paragraphStart,
      paragraphEnd: piece.paragraphEnd,
      text: passageText,
      sentences: piece.sentences.map((sentence) => ({ start: sentence.start - start, end: sentence.end - start })),
      ...(piece.section === null ? {} : { section: piece.section.label, ...(piece.section.anchor === null ? {} : { anchor: piece.section.anchor }) }),
    });
  }
  return { passages, duplicates };
}
