import { analyze, analyzeWithOffsets } from '../lexical/analyzer.js';
import type { Passage } from '../passages/passage.js';
import type { Span } from '../passages/sentences.js';
import type { QuestionTerms } from './question-terms.js';

export const ELLIPSIS = '…';
const MAX_QUOTE_SENTENCES = 3;

/** Where a quote lies in its passage, so an edge can shorten it without parsing text back. */
export interface QuoteSpans {
  /** The quoted sentences (or the cut part of one), consecutive, as offsets into the passage. */
  sentences: Span[];
  /** The most relevant sentence or part, within `sentences`. */
  highlight: Span;
}

export interface Quote {
  /** Verbatim text from the passage; `…` stands where passage text was left out. */
  text: string;
  /** The most relevant sentence (or, if that alone is too long, its most relevant part): a substring of `text`. */
  highlight: string;
  spans: QuoteSpans;
}

/** The quote's text: the passage from its first sentence to its last, `…` where passage text is left out. */
export function quoteText(passage: string, { sentences }: QuoteSpans): string {
  const start = sentences[0]!.start;
  const end = sentences.at(-1)!.end;
  const before = start > 0 ? `${ELLIPSIS} ` : '';
  const after = end < passage.length ? ` ${ELLIPSIS}` : '';
  return `${before}${passage.slice(start, end)}${after}`;
}

/**
 * The quote one sentence shorter: the last one if it is not the highlight, else the first; null
 * when only the highlighted sentence is left.
 */
export function withoutOuterSentence(spans: QuoteSpans): QuoteSpans | null {
  const { sentences, highlight } = spans;
  if (sentences.length <= 1) return null;
  if (sentences.at(-1)!.start >= highlight.end) return { sentences: sentences.slice(0, -1), highlight };
  if (sentences[0]!.end <= highlight.start) return { sentences: sentences.slice(1), highlight };
  return null;
}

/**
 * Whether marking the highlight tells the reader anything: not when it is the whole quote (one
 * sentence, or the cut part of one), which bold would only make louder.
 */
export function highlightStandsOut({ sentences, highlight }: QuoteSpans): boolean {
  return highlight.start > sentences[0]!.start || highlight.end < sentences.at(-1)!.end;
}

type Evidence = QuestionTerms['evidence'];

/**
 * How much of the question a sentence speaks to: for each of the user's words it contains (itself
 * or a word bridged to it), that word's weight, so a rare name counts for more than "said" and a
 * word repeated in the sentence counts once.
 */
function sentenceScore(text: string, evidence: Evidence): number {
  const best = new Map<number, number>();
  for (const term of analyze(text)) {
    const hit = evidence.get(term);
    if (hit && hit.weight > (best.get(hit.group) ?? 0)) best.set(hit.group, hit.weight);
  }
  let score = 0;
  for (const weight of best.values()) score += weight;
  return score;
}

/** Cuts a sentence too long to quote whole down to `maxChars` around its first question term, at word boundaries. */
function cutAround(text: string, evidence: Evidence, maxChars: number): { start: number; end: number } {
  const firstHit = analyzeWithOffsets(text).find((token) => evidence.has(token.term))?.start ?? 0;
  let start = Math.max(0, Math.min(firstHit - Math.floor(maxChars / 4), text.length - maxChars));
  let end = Math.min(text.length, start + maxChars);
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  const lastSpace = text.lastIndexOf(' ', end);
  if (end < text.length && lastSpace > start) end = lastSpace;
  return { start, end };
}

// Openings that refer back: a personal pronoun, or "this"/"these"/"those" before what was named.
// ("It" and "that" open as often without referring: "It is unclear…", "That said…".)
const REFERRING_OPENING = /^(?:he|she|they|his|her|their|this|these|those)$/iu;
const OPENING_WORD = /^[\s“"‘'(]*(\p{L}[\p{L}'\u2019-]*)/u;
const AT_SENTENCE_START = /(?:^|[.!?]["”’)]*\s*)$/u;

/**
 * Whether sentence `next` carries on what the passage before it is about: it opens by referring
 * back ("He said…", "These efforts…") or with a name used earlier in the passage, mid-sentence
 * ("…Alireza Miryousefi, also denied… Miryousefi was presumably referring to…").
 */
function continuesSubject(text: string, sentences: readonly Span[], next: number): boolean {
  const opening = OPENING_WORD.exec(text.slice(sentences[next]!.start, sentences[next]!.end))?.[1];
  if (opening === undefined) return false;
  if (REFERRING_OPENING.test(opening)) return true;
  const name = opening.replace(/['\u2019]s$/u, '');
  if (!/^\p{Lu}\p{Ll}/u.test(name)) return false;
  const earlier = text.slice(0, sentences[next]!.start);
  for (const match of earlier.matchAll(new RegExp(`(?<!\\p{L})${name}(?!\\p{L})`, 'gu'))) {
    if (!AT_SENTENCE_START.test(earlier.slice(0, match.index))) return true;
  }
  return false;
}

/**
 * The quote: the sentence of `passage` that speaks most to the question, with the neighbours that
 * fit within `maxChars` (up to three sentences, one verbatim slice). The sentence that names a
 * subject is often not the one that answers ("…the spokesman said…" / "Khatibzadeh called the
 * allegations…"), so neighbours are added while they fit: the one after first when it carries the
 * subject on (`continuesSubject`), else the more relevant one, and on a tie the one after.
 */
export function selectQuote(passage: Passage, evidence: Evidence, maxChars: number): Quote {
  const sentences: Span[] = passage.sentences.length > 0 ? passage.sentences : [{ start: 0, end: passage.text.length }];
  const scores = sentences.map((span) => sentenceScore(passage.text.slice(span.start, span.end), evidence));
  const best = scores.reduce((bestIndex, score, i) => (score > scores[bestIndex]! ? i : bestIndex), 0);

  let first = best;
  let last = best;
  const fits = (from: number, to: number) => sentences[to]!.end - sentences[from]!.start <= maxChars;
  while (last - first + 1 < MAX_QUOTE_SENTENCES) {
    const before = first > 0 && fits(first - 1, last) ? scores[first - 1]! : -1;
    const after = last < sentences.length - 1 && fits(first, last + 1) ? scores[last + 1]! : -1;
    if (before < 0 && after < 0) break;
    if (after >= before || (after >= 0 && continuesSubject(passage.text, sentences, last + 1))) last += 1;
    else first -= 1;
  }

  const bestSpan = sentences[best]!;
  let spans: QuoteSpans = { sentences: sentences.slice(first, last + 1), highlight: bestSpan };
  if (sentences[last]!.end - sentences[first]!.start > maxChars) {
    const cut = cutAround(passage.text.slice(bestSpan.start, bestSpan.end), evidence, maxChars);
    const part = { start: bestSpan.start + cut.start, end: bestSpan.start + cut.end };
    spans = { sentences: [part], highlight: part };
  }
  return { text: quoteText(passage.text, spans), highlight: passage.text.slice(spans.highlight.start, spans.highlight.end), spans };
}
