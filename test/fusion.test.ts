import { describe, expect, it } from 'vitest';
import { normalizedScoreSum } from '../src/retrieval/fusion.js';

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

  it('keeps score gaps that rank fusion discards', () => {
    const close = [{ id: 1, score: 10 }, { id: 2, score: 9.9 }, { id: 3, score: 0 }];
    const lists = [
      { name: 'a', weight: 1, ranking: close },
      { name: 'b', weight: 1, ranking: [{ id: 2, score: 10 }, { id: 1, score: 0.2 }, { id: 3, score: 0 }] },
      { name: 'c', weight: 1, ranking: close },
    ];
    // id 1 ranks higher more often (rank fusion's pick), but id 2 is a near-winner everywhere
    // while id 1 is far behind in b: min-max sees that.
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
