import { describe, expect, it } from 'vitest';
import { normalizedScoreSum, rrf, type ScoredId } from '../src/retrieval/fusion.js';

/** A ranking of `ids` in the given order, scores descending. */
function ranked(...ids: number[]): ScoredId[] {
  return ids.map((id, i) => ({ id, score: 100 - i }));
}

describe('rrf', () => {
  it('sums weight / (k + rank) over rankings, rank 1-based', () => {
    const fused = rrf([
      { name: 'dense', weight: 1, ranking: ranked(1, 2, 3) },
      { name: 'lexical', weight: 1, ranking: ranked(3, 1, 4) },
    ]);
    expect(fused.map((hit) => hit.id)).toEqual([1, 3, 2, 4]);
    expect(fused[0]).toEqual({ id: 1, score: 1 / 61 + 1 / 62, parts: { dense: 1 / 61, lexical: 1 / 62 } });
    expect(fused[1]!.score).toBe(1 / 63 + 1 / 61);
    // A ranking that misses an id contributes 0 to it.
    expect(fused[3]).toEqual({ id: 4, score: 1 / 63, parts: { dense: 0, lexical: 1 / 63 } });
  });

  it('lets weights decide between two rankings that disagree', () => {
    const lists = (denseWeight: number, lexicalWeight: number) => [
      { name: 'dense', weight: denseWeight, ranking: ranked(1, 2) },
      { name: 'lexical', weight: lexicalWeight, ranking: ranked(2, 1) },
    ];
    // Equal weights tie exactly; the lower id wins the tie.
    expect(rrf(lists(1, 1)).map((hit) => hit.id)).toEqual([1, 2]);
    expect(rrf(lists(1, 1))[0]!.score).toBe(rrf(lists(1, 1))[1]!.score);
    expect(rrf(lists(1, 2)).map((hit) => hit.id)).toEqual([2, 1]);
    expect(rrf(lists(2, 1)).map((hit) => hit.id)).toEqual([1, 2]);
  });

  it('uses ranks, not scores, and k changes how much the top ranks dominate', () => {
    const lists = [
      { weight: 1, ranking: [{ id: 1, score: 1000 }, { id: 5, score: 0.2 }, { id: 2, score: 0.1 }] },
      { weight: 1, ranking: ranked(3, 6, 2) },
    ];
    // id 2 is third in both rankings, id 1 first in one: 2 / (k + 3) beats 1 / (k + 1) only when k > 1.
    expect(rrf(lists, 0)[0]!.id).toBe(1);
    expect(rrf(lists, 60)[0]).toEqual({ id: 2, score: 2 / 63, parts: { '0': 1 / 63, '1': 1 / 63 } });
  });

  it('counts an id listed twice at its first position', () => {
    const fused = rrf([{ weight: 1, ranking: ranked(5, 6, 5) }], 0);
    expect(fused).toEqual([
      { id: 5, score: 1, parts: { '0': 1 } },
      { id: 6, score: 1 / 2, parts: { '0': 1 / 2 } },
    ]);
  });

  it('handles no rankings and rejects bad input', () => {
    expect(rrf([])).toEqual([]);
    expect(rrf([{ weight: 1, ranking: [] }])).toEqual([]);
    expect(() => rrf([{ name: 'a', weight: 1, ranking: [] }, { name: 'a', weight: 1, ranking: [] }])).toThrow(/distinct names/);
    expect(() => rrf([{ weight: Number.NaN, ranking: [] }])).toThrow(/finite/);
    expect(() => rrf([], -1)).toThrow(RangeError);
  });
});

describe('normalizedScoreSum (min-max)', () => {
  const dense = { name: 'dense', ranking: [{ id: 1, score: 10 }, { id: 2, score: 5 }, { id: 3, score: 0 }] };
  const lexical = { name: 'lexical', ranking: [{ id: 3, score: 100 }, { id: 4, score: 50 }] };

  it('scales each ranking to [0, 1] and gives missing ids the floor 0', () => {
    const fused = normalizedScoreSum([{ ...dense, weight: 1 }, { ...lexical, weight: 1 }]);
    // 1: 1 + 0, 3: 0 + 1 (tie, lower id first), 2: 0.5 + 0, 4: 0 + 0
    expect(fused).toEqual([
      { id: 1, score: 1, parts: { dense: 1, lexical: 0 } },
      { id: 3, score: 1, parts: { dense: 0, lexical: 1 } },
      { id: 2, score: 0.5, parts: { dense: 0.5, lexical: 0 } },
      { id: 4, score: 0, parts: { dense: 0, lexical: 0 } },
    ]);
  });

  it('lets weights change the winner', () => {
    expect(normalizedScoreSum([{ ...dense, weight: 1 }, { ...lexical, weight: 0.5 }])[0]!.id).toBe(1);
    expect(normalizedScoreSum([{ ...dense, weight: 1 }, { ...lexical, weight: 2 }])[0]).toEqual({
      id: 3,
      score: 2,
      parts: { dense: 0, lexical: 2 },
    });
  });

  it('keeps score gaps that RRF discards', () => {
    const close = [{ id: 1, score: 10 }, { id: 2, score: 9.9 }, { id: 3, score: 0 }];
    const lists = [
      { name: 'a', weight: 1, ranking: close },
      { name: 'b', weight: 1, ranking: [{ id: 2, score: 10 }, { id: 1, score: 0.2 }, { id: 3, score: 0 }] },
      { name: 'c', weight: 1, ranking: close },
    ];
    // id 1 ranks higher more often (RRF's pick), but id 2 is a near-winner everywhere while id 1
    // is far behind in b: min-max sees that.
    expect(rrf(lists)[0]!.id).toBe(1);
    expect(normalizedScoreSum(lists)[0]).toEqual({ id: 2, score: expect.closeTo(0.99 + 1 + 0.99, 12), parts: expect.any(Object) });
  });

  it('maps a ranking whose scores are all equal to 1', () => {
    expect(normalizedScoreSum([{ weight: 2, ranking: [{ id: 8, score: 3 }, { id: 9, score: 3 }] }])).toEqual([
      { id: 8, score: 2, parts: { '0': 2 } },
      { id: 9, score: 2, parts: { '0': 2 } },
    ]);
  });

  it('rejects non-finite scores', () => {
    expect(() => normalizedScoreSum([{ weight: 1, ranking: [{ id: 1, score: Number.POSITIVE_INFINITY }] }])).toThrow(/non-finite/);
  });
});

describe('normalizedScoreSum (z-score)', () => {
  it('standardises each ranking and gives missing ids its lowest z-score', () => {
    const fused = normalizedScoreSum(
      [
        // mean 2, sd 1 → z(1) = 1, z(2) = −1
        { name: 'a', weight: 1, ranking: [{ id: 1, score: 3 }, { id: 2, score: 1 }] },
        // mean 6, sd √8 → z(2) = 4/√8, z(3) = z(4) = −2/√8 (also the floor for id 1)
        { name: 'b', weight: 1, ranking: [{ id: 2, score: 10 }, { id: 3, score: 4 }, { id: 4, score: 4 }] },
      ],
      'z-score',
    );
    expect(fused.map((hit) => hit.id)).toEqual([2, 1, 3, 4]);
    expect(fused[0]!.score).toBeCloseTo(-1 + 4 / Math.sqrt(8), 12);
    expect(fused[1]!.score).toBeCloseTo(1 - 2 / Math.sqrt(8), 12);
    expect(fused[2]!.parts).toEqual({ a: -1, b: expect.closeTo(-2 / Math.sqrt(8), 12) });
  });

  it('maps a ranking whose scores are all equal to 0', () => {
    expect(normalizedScoreSum([{ weight: 1, ranking: [{ id: 1, score: 5 }] }], 'z-score')).toEqual([{ id: 1, score: 0, parts: { '0': 0 } }]);
  });
});
