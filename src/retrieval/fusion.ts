/**
 * Fusing several rankings of the same passages (e.g. dense and BM25) into one. Pure functions:
 * rankings in, fused ranking out, sorted by fused score descending then id ascending.
 */

export interface ScoredId {
  id: number;
  score: number;
}

export interface WeightedRanking {
  /** Key of this ranking's contribution in `FusedHit.parts`; defaults to its position ("0", "1", …). */
  name?: string;
  weight: number;
  /** Best first. An id listed twice counts at its first (best) position. */
  ranking: readonly ScoredId[];
}

export interface FusedHit {
  id: number;
  /** Sum of `parts`, added in the order the rankings were given. */
  score: number;
  /** Each ranking's weighted contribution, for every ranking (including those missing the id). */
  parts: Record<string, number>;
}

/**
 * Weighted reciprocal rank fusion (Cormack et al. 2009): Σ weight / (k + rank), rank 1-based.
 * Uses ranks only, so it needs no calibration between score scales; a ranking that misses an id
 * contributes 0. k = 60 is the paper's value: larger k flattens the advantage of top ranks.
 */
export function rrf(lists: readonly WeightedRanking[], k = 60): FusedHit[] {
  if (!Number.isFinite(k) || k < 0) throw new RangeError(`RRF k must be a finite number ≥ 0, got ${k}`);
  return fuse(lists, (ranking) => {
    const contributions = new Map<number, number>();
    ranking.forEach(({ id }, i) => {
      if (!contributions.has(id)) contributions.set(id, 1 / (k + i + 1));
    });
    return { values: contributions, floor: 0 };
  });
}

/**
 * How `normalizedScoreSum` puts each ranking's scores on a common scale:
 * - `min-max`: (s − min) / (max − min), so each ranking spans [0, 1]; if all its scores are
 *   equal they all map to 1. Ids it misses get 0, the same as its lowest retrieved score: having
 *   been cut off, they are assumed no better than that.
 * - `z-score`: (s − mean) / standard deviation (population), which an outlier top score distorts
 *   less than min-max; all-equal scores map to 0. Ids it misses get its lowest z-score.
 */
export type Normalization = 'min-max' | 'z-score';

/**
 * Σ weight · normalised score: unlike RRF, keeps how far apart scores are within each ranking
 * (a clear BM25 winner stays clearly ahead). Defaults to min-max, the common choice for
 * hybrid search; see `Normalization`.
 */
export function normalizedScoreSum(lists: readonly WeightedRanking[], normalization: Normalization = 'min-max'): FusedHit[] {
  return fuse(lists, (ranking) => {
    const scores = new Map<number, number>();
    for (const { id, score } of ranking) {
      if (!Number.isFinite(score)) throw new RangeError(`cannot fuse a non-finite score (${score}) for id ${id}`);
      if (!scores.has(id)) scores.set(id, score);
    }
    if (scores.size === 0) return { values: scores, floor: 0 };
    // Loops rather than Math.min(...values): spreading a long ranking can overflow the stack.
    const values = [...scores.values()];
    if (normalization === 'min-max') {
      const min = values.reduce((low, score) => Math.min(low, score));
      const range = values.reduce((high, score) => Math.max(high, score)) - min;
      for (const [id, score] of scores) scores.set(id, range === 0 ? 1 : (score - min) / range);
      return { values: scores, floor: 0 };
    }
    const mean = values.reduce((sum, score) => sum + score, 0) / values.length;
    const deviation = Math.sqrt(values.reduce((sum, score) => sum + (score - mean) ** 2, 0) / values.length);
    for (const [id, score] of scores) scores.set(id, deviation === 0 ? 0 : (score - mean) / deviation);
    return { values: scores, floor: [...scores.values()].reduce((low, z) => Math.min(low, z)) };
  });
}

/** One ranking's per-id values before weighting, and the value of ids it does not contain. */
interface Contribution {
  values: Map<number, number>;
  floor: number;
}

function fuse(lists: readonly WeightedRanking[], contribution: (ranking: readonly ScoredId[]) => Contribution): FusedHit[] {
  const names = lists.map((list, i) => list.name ?? String(i));
  if (new Set(names).size !== names.length) throw new Error(`rankings to fuse need distinct names, got ${names.join(', ')}`);
  for (const { weight } of lists) {
    if (!Number.isFinite(weight)) throw new RangeError(`fusion weights must be finite, got ${weight}`);
  }
  const contributions = lists.map((list) => contribution(list.ranking));
  const ids = new Set<number>();
  for (const { values } of contributions) for (const id of values.keys()) ids.add(id);

  const fused: FusedHit[] = [];
  for (const id of ids) {
    let score = 0;
    const parts: Record<string, number> = {};
    contributions.forEach(({ values, floor }, i) => {
      const part = lists[i]!.weight * (values.get(id) ?? floor);
      parts[names[i]!] = part;
      score += part;
    });
    fused.push({ id, score, parts });
  }
  return fused.sort((x, y) => y.score - x.score || x.id - y.id);
}
