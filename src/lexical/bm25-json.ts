export const BM25_FORMAT = 'corpus-bot/bm25@1';

/**
 * The persisted form: only live passages, in a canonical order (ids ascending, terms ascending,
 * postings by document), so equal indexes serialise to equal JSON however they were built.
 */
export interface Bm25Json {
  format: typeof BM25_FORMAT;
  k1: number;
  b: number;
  /** Passage ids, ascending. Postings refer to passages by position in this array. */
  ids: number[];
  /** Number of terms in each passage, parallel to `ids`. */
  lengths: number[];
  /** Terms, ascending. */
  terms: string[];
  /**
   * Parallel to `terms`: flat `[gap, tf, gap, tf, …]` where the first gap is the position in
   * `ids` and each later gap the distance from the previous position (delta coding keeps the
   * numbers, and so the JSON, short).
   */
  postings: number[][];
}

function invalid(why: string): never {
  throw new Error(`Not a serialised BM25 index: ${why}`);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** `json` as a serialised BM25 index, after checking every part of its shape; throws on anything else. */
export function validateBm25Json(json: unknown): Bm25Json {
  if (typeof json !== 'object' || json === null) invalid('expected an object');
  const { format, k1, b, ids, lengths, terms, postings } = json as Partial<Record<keyof Bm25Json, unknown>>;
  if (format !== BM25_FORMAT) invalid(`format is ${JSON.stringify(format)}, expected ${JSON.stringify(BM25_FORMAT)}`);
  if (typeof k1 !== 'number' || typeof b !== 'number') invalid('k1 and b must be numbers');
  if (!Array.isArray(ids) || !ids.every((id, i) => Number.isSafeInteger(id) && (i === 0 || id > ids[i - 1]))) {
    invalid('ids must be strictly ascending integers');
  }
  if (!Array.isArray(lengths) || lengths.length !== ids.length || !lengths.every(isCount)) {
    invalid('lengths must hold one non-negative integer per id');
  }
  if (!Array.isArray(terms) || !terms.every((t, i) => typeof t === 'string' && (i === 0 || t > terms[i - 1]))) {
    invalid('terms must be strictly ascending strings');
  }
  if (!Array.isArray(postings) || postings.length !== terms.length) invalid('postings must be parallel to terms');
  postings.forEach((flat: unknown, termId) => {
    const term = JSON.stringify(terms[termId]);
    if (!Array.isArray(flat) || flat.length === 0 || flat.length % 2 !== 0 || !flat.every(isCount)) {
      invalid(`postings of ${term} must be non-empty [gap, tf, …] pairs of non-negative integers`);
    }
    let position = -1;
    for (let i = 0; i < flat.length; i += 2) {
      const gap = flat[i]!;
      if (i > 0 && gap === 0) invalid(`postings of ${term} list a passage twice`);
      position = i === 0 ? gap : position + gap;
      if (position >= ids.length) invalid(`postings of ${term} refer to passage #${position} of ${ids.length}`);
      if (flat[i + 1] === 0) invalid(`postings of ${term} have a zero term frequency`);
    }
  });
  return { format, k1, b, ids, lengths, terms, postings };
}
