import { stemmer } from 'stemmer';
import { ENGLISH_STOP_WORDS } from './stop-words.js';

/**
 * The one analysis chain shared by BM25 indexing, BM25 queries and quote selection, so that a
 * question term and a passage term match exactly when the index would match them.
 *
 * Chain: NFKC → lower case → words (runs of letters/digits/marks; an apostrophe between two word
 * characters stays inside the word) → English possessive `'s` removed, other apostrophes dropped
 * ("Iran’s" → "iran", "don't" → "dont") → Lucene's English stop words → Porter stemming.
 */

/** A term together with where its word sits in the original (un-normalised) text. */
export interface AnalyzedToken {
  term: string;
  /** UTF-16 offsets into the text given to `analyzeWithOffsets`; `end` is exclusive. */
  start: number;
  end: number;
}

// U+2019 (right single quote) is what typography turns "Iran's" into; U+02BC and U+FF07 are the
// other apostrophes seen in real text. U+2018 is left out: it opens quotations.
const APOSTROPHES = `'\u2019\u02BC\uFF07`;
const WORD = new RegExp(`[\\p{L}\\p{N}\\p{M}]+(?:[${APOSTROPHES}][\\p{L}\\p{N}\\p{M}]+)*`, 'gu');
const POSSESSIVE = new RegExp(`[${APOSTROPHES}]s$`, 'u');
const APOSTROPHE = new RegExp(`[${APOSTROPHES}]`, 'gu');
const HAS_APOSTROPHE = new RegExp(`[${APOSTROPHES}]`, 'u');
const ASCII = /^[\x00-\x7F]*$/;
// Porter's rules are defined for English letters; applied to other scripts they would strip
// arbitrary endings, so such words are indexed as they are.
const STEMMABLE = /^[a-z0-9]+$/;

// Stemming dominates analysis time and vocabularies repeat heavily; the bound keeps memory flat
// when a very large corpus streams through.
const STEM_CACHE_LIMIT = 200_000;
const stemCache = new Map<string, string>();

function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = STEMMABLE.test(word) ? stemmer(word) : word;
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

/** Term of one already-normalised, lower-cased word, or undefined for a stop word. */
function termOfWord(word: string): string | undefined {
  const bare = HAS_APOSTROPHE.test(word) ? word.replace(POSSESSIVE, '').replace(APOSTROPHE, '') : word;
  if (bare === '' || ENGLISH_STOP_WORDS.has(bare)) return undefined;
  return stem(bare);
}

/**
 * Runs `visit` for every word of `text` with its raw offsets. Words are found in the raw text so
 * that offsets point into it, then normalised one by one; NFKC can turn one raw word into several
 * (e.g. "½" → "1⁄2"), which then share the raw word's offsets.
 */
function forEachTerm(text: string, visit: (term: string, start: number, end: number) => void): void {
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
    const start = match.index;
    const end = start + raw.length;
    if (ASCII.test(raw)) {
      const term = termOfWord(raw.toLowerCase());
      if (term !== undefined) visit(term, start, end);
      continue;
    }
    for (const word of raw.normalize('NFKC').toLowerCase().match(WORD) ?? []) {
      const term = termOfWord(word);
      if (term !== undefined) visit(term, start, end);
    }
  }
}

/** Terms of `text`, in order, repeats kept (BM25 needs term frequencies). */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  forEachTerm(text, (term) => terms.push(term));
  return terms;
}

/** Like `analyze`, with each term's source word located in `text` (for highlighting matches). */
export function analyzeWithOffsets(text: string): AnalyzedToken[] {
  const tokens: AnalyzedToken[] = [];
  forEachTerm(text, (term, start, end) => tokens.push({ term, start, end }));
  return tokens;
}

/**
 * The term a single word contributes, or undefined when it contributes none (a stop word, or no
 * letters/digits at all). A string holding several words yields the first word's term.
 */
export function analyzeToken(word: string): string | undefined {
  let first: string | undefined;
  forEachTerm(word, (term) => {
    first ??= term;
  });
  return first;
}
