import { seededRandom } from '../seeded-random.js';

/**
 * How much more alike two passages of one document are than two passages of different
 * documents, under the embedding model: Somers' D of the two similarity distributions, the
 * chance that a pair from one document is the more similar minus the chance that it is the
 * less similar (2 · AUC − 1). Every document counts alike, however many passages it has (a long
 * report would otherwise supply nearly every pair from one document). 0 when a document's
 * passages are no closer to each other than to anyone else's (the five seed articles, one story:
 * 0.076), towards 1 when every document is about a thing of its own (SciFact's abstracts, one
 * claim each: 0.725). It is a rank statistic, so it reads the same whatever the model's cosine
 * scale, and a sample of pairs gives it to about ±0.01 at any corpus size.
 *
 * Retrieval weighs a passage's whole document by it (`retriever.ts`): where documents stand
 * apart, a document about the question as a whole says more than its best passage does.
 */

/** Pairs of each kind compared; fewer when the corpus has fewer, then all of them. */
export const DISTINCTNESS_PAIRS = 4000;

/**
 * Somers' D of same-document against cross-document passage similarities, or null when there
 * is nothing to compare: fewer than two documents, or no document of two passages.
 */
export function documentDistinctness(documents: ReadonlyArray<readonly number[]>, vectorOf: (id: number) => Float32Array): number | null {
  const groups = documents.filter((ids) => ids.length > 0);
  const multi = groups.filter((ids) => ids.length > 1);
  if (groups.length < 2 || multi.length === 0) return null;
  const cosine = cosineOf(vectorOf);
  const similarities = (pairs: WeightedPair[]) => pairs.map(({ a, b, weight }) => ({ value: cosine(a, b), weight }));
  return 2 * probabilityGreater(similarities(withinPairs(multi)), similarities(acrossPairs(groups))) - 1;
}

/**
 * Two passages, and how much their pair counts: all pairs of a small corpus are weighted so that
 * each document (or pair of documents) weighs the same, as a sample that draws documents first
 * weighs them; a sampled pair counts 1.
 */
interface WeightedPair {
  a: number;
  b: number;
  weight: number;
}

function cosineOf(vectorOf: (id: number) => Float32Array): (a: number, b: number) => number {
  const norms = new Map<number, number>();
  const norm = (id: number) => {
    let value = norms.get(id);
    if (value === undefined) {
      const vector = vectorOf(id);
      value = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
      norms.set(id, value);
    }
    return value;
  };
  return (a, b) => {
    const [x, y] = [vectorOf(a), vectorOf(b)];
    let dot = 0;
    for (let i = 0; i < x.length; i++) dot += x[i]! * y[i]!;
    return dot / (norm(a) * norm(b) || 1);
  };
}

/** Pairs within documents: all of them when there are few, else a fixed sample (a document, then two of its passages). */
function withinPairs(documents: ReadonlyArray<readonly number[]>): WeightedPair[] {
  const pairsOf = (n: number) => (n * (n - 1)) / 2;
  const total = documents.reduce((sum, ids) => sum + pairsOf(ids.length), 0);
  if (total <= DISTINCTNESS_PAIRS) {
    return documents.flatMap((ids) => ids.flatMap((a, i) => ids.slice(i + 1).map((b) => ({ a, b, weight: 1 / pairsOf(ids.length) }))));
  }
  const random = seededRandom(1);
  return Array.from({ length: DISTINCTNESS_PAIRS }, () => {
    const ids = documents[Math.floor(random() * documents.length)]!;
    const i = Math.floor(random() * ids.length);
    const j = (i + 1 + Math.floor(random() * (ids.length - 1))) % ids.length;
    return { a: ids[i]!, b: ids[j]!, weight: 1 };
  });
}

/** Pairs across documents: all of them when there are few, else a fixed sample (two documents, then a passage of each). */
function acrossPairs(documents: ReadonlyArray<readonly number[]>): WeightedPair[] {
  const sizes = documents.map((ids) => ids.length);
  const passages = sizes.reduce((sum, n) => sum + n, 0);
  const total = (passages * passages - sizes.reduce((sum, n) => sum + n * n, 0)) / 2;
  if (total <= DISTINCTNESS_PAIRS) {
    return documents.flatMap((ids, d) =>
      documents.slice(d + 1).flatMap((others) => ids.flatMap((a) => others.map((b) => ({ a, b, weight: 1 / (ids.length * others.length) })))),
    );
  }
  const random = seededRandom(2);
  const pick = (ids: readonly number[]) => ids[Math.floor(random() * ids.length)]!;
  return Array.from({ length: DISTINCTNESS_PAIRS }, () => {
    const d = Math.floor(random() * documents.length);
    const e = (d + 1 + Math.floor(random() * (documents.length - 1))) % documents.length;
    return { a: pick(documents[d]!), b: pick(documents[e]!), weight: 1 };
  });
}

interface Weighted {
  value: number;
  weight: number;
}

/** P(x > y) + ½ P(x = y) for x drawn from `xs` and y from `ys` by their weights (the Mann–Whitney AUC). */
function probabilityGreater(xs: readonly Weighted[], ys: readonly Weighted[]): number {
  const sorted = [...ys].sort((p, q) => p.value - q.value);
  // below[k]: the weight of the first k of `sorted`.
  const below = [0];
  for (const { weight } of sorted) below.push(below.at(-1)! + weight);
  let wins = 0;
  let total = 0;
  for (const { value, weight } of xs) {
    const less = below[countBelow(sorted, value, false)]!;
    const atMost = below[countBelow(sorted, value, true)]!;
    wins += weight * (less + (atMost - less) / 2);
    total += weight;
  }
  return wins / (total * below.at(-1)!);
}

/** How many of `sorted` have a value less than `value` (or equal to it, with `orEqual`). */
function countBelow(sorted: readonly Weighted[], value: number, orEqual: boolean): number {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const mid = (low + high) >>> 1;
    const at = sorted[mid]!.value;
    if (at < value || (orEqual && at === value)) low = mid + 1;
    else high = mid;
  }
  return low;
}
