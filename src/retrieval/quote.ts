import { analyze, analyzeWithOffsets } from '../lexical/analyzer.js';
import type { Passage } from '../passages/passage.js';
import type { Span } from '../passages/sentences.js';

export const ELLIPSIS = '…';
const MAX_QUOTE_SENTENCES = 3;

export interface Quote {
  /** Verbatim text from the passage; `…` stands where passage text was left out. */
  text: string;
  /** The most relevant sentence (or, if that alone is too long, its most relevant part): a substring of `text`. */
  highlight: string;
}

function sentenceScore(text: string, queryTerms: ReadonlySet<string>): number {
  let score = 0;
  for (const term of new Set(analyze(text))) if (queryTerms.has(term)) score += 1;
  return score;
}

/** Cuts a sentence too long to quote whole down to `maxChars` around its first query term, at word boundaries. */
function cutAround(text: string, queryTerms: ReadonlySet<string>, maxChars: number): { start: number; end: number } {
  const firstHit = analyzeWithOffsets(text).find((token) => queryTerms.has(token.term))?.start ?? 0;
  let start = Math.max(0, Math.min(firstHit - Math.floor(maxChars / 4), text.length - maxChars));
  let end = Math.min(text.length, start + maxChars);
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  const lastSpace = text.lastIndexOf(' ', end);
  if (end < text.length && lastSpace > start) end = lastSpace;
  return { start, end };
}

/**
 * Picks the one to three consecutive sentences of `passage` that share the most terms with the
 * question, within `maxChars`. Consecutive, so the quote is one verbatim slice of the source.
 */
export function selectQuote(passage: Passage, question: string, maxChars: number): Quote {
  const queryTerms = new Set(analyze(question));
  const sentences: Span[] = passage.sentences.length > 0 ? passage.sentences : [{ start: 0, end: passage.text.length }];
  const scores = sentences.map((span) => sentenceScore(passage.text.slice(span.start, span.end), queryTerms));
  const best = scores.reduce((bestIndex, score, i) => (score > scores[bestIndex]! ? i : bestIndex), 0);

  let window = { first: best, last: best, score: scores[best]! };
  for (let first = Math.max(0, best - MAX_QUOTE_SENTENCES + 1); first <= best; first += 1) {
    for (let last = best; last < Math.min(sentences.length, first + MAX_QUOTE_SENTENCES); last += 1) {
      const length = sentences[last]!.end - sentences[first]!.start;
      const score = scores.slice(first, last + 1).reduce((sum, s) => sum + s, 0);
      const shorter = last - first < window.last - window.first;
      if (length <= maxChars && (score > window.score || (score === window.score && shorter))) {
        window = { first, last, score };
      }
    }
  }

  let start = sentences[window.first]!.start;
  let end = sentences[window.last]!.end;
  const bestSpan = sentences[best]!;
  let highlight = passage.text.slice(bestSpan.start, bestSpan.end);
  if (end - start > maxChars) {
    const cut = cutAround(highlight, queryTerms, maxChars);
    start = bestSpan.start + cut.start;
    end = bestSpan.start + cut.end;
    highlight = passage.text.slice(start, end);
  }
  const before = start > 0 ? `${ELLIPSIS} ` : '';
  const after = end < passage.text.length ? ` ${ELLIPSIS}` : '';
  return { text: `${before}${passage.text.slice(start, end)}${after}`, highlight };
}
