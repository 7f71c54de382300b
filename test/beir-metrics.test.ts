import { describe, expect, it } from 'vitest';
import {
  evaluate,
  mrrAt,
  ndcgAt,
  passagesToDocumentRanking,
  recallAt,
  type Qrels,
  type Run,
} from '../src/eval/beir-metrics.js';

/**
 * q1: graded judgements, one judged non-relevant (grade 0), retrieved as passages with documents
 *     repeated. q2: nothing relevant retrieved. q3: no results at all.
 */
const qrels: Qrels = new Map([
  ['q1', new Map([['d1', 2], ['d2', 1], ['d3', 0], ['d4', 1]])],
  ['q2', new Map([['d6', 1]])],
  ['q3', new Map([['d9', 1]])],
]);

const q1Passages = [
  { docId: 'd3', score: 9 },
  { docId: 'd1', score: 8 },
  { docId: 'd3', score: 7 },
  { docId: 'd2', score: 6 },
  { docId: 'd5', score: 5 },
  { docId: 'd1', score: 4 },
];

const run: Run = new Map([
  ['q1', passagesToDocumentRanking(q1Passages)],
  ['q2', [{ docId: 'd7', score: 2 }, { docId: 'd8', score: 1 }]],
  // A query the qrels do not judge is ignored.
  ['q4', [{ docId: 'd1', score: 1 }]],
]);

describe('passagesToDocumentRanking', () => {
  it('keeps each document once, at its best passage’s rank and score', () => {
    expect(passagesToDocumentRanking(q1Passages)).toEqual([
      { docId: 'd3', score: 9 },
      { docId: 'd1', score: 8 },
      { docId: 'd2', score: 6 },
      { docId: 'd5', score: 5 },
    ]);
  });
});

describe('nDCG@k', () => {
  it('uses linear gains, log2(rank + 1) discounts and the ideal ordering of the qrels', () => {
    // q1 top 3: d3 (0), d1 (2) at rank 2, d2 (1) at rank 3. Ideal: grades 2, 1, 1.
    const dcg = 2 / Math.log2(3) + 1 / Math.log2(4);
    const ideal = 2 / Math.log2(2) + 1 / Math.log2(3) + 1 / Math.log2(4);
    const result = ndcgAt(qrels, run, 3);
    expect(result.perQuery.get('q1')).toBeCloseTo(dcg / ideal, 12);
    expect(result.perQuery.get('q2')).toBe(0);
    expect(result.perQuery.get('q3')).toBe(0);
    expect([...result.perQuery.keys()]).toEqual(['q1', 'q2', 'q3']);
    expect(result.mean).toBeCloseTo(dcg / ideal / 3, 12);
  });

  it('cuts both the ranking and the ideal at k', () => {
    // Top 1 is d3 (grade 0).
    expect(ndcgAt(qrels, run, 1).perQuery.get('q1')).toBe(0);
    // Top 2: d1 at rank 2; ideal top 2: grades 2, 1.
    expect(ndcgAt(qrels, run, 2).perQuery.get('q1')).toBeCloseTo((2 / Math.log2(3)) / (2 + 1 / Math.log2(3)), 12);
  });

  it('counts a document retrieved as several passages once, at its best rank', () => {
    // Unmerged, d1 and d3 would appear twice; the metrics collapse them the same way.
    const passageRun: Run = new Map([['q1', q1Passages]]);
    expect(ndcgAt(qrels, passageRun, 5).perQuery.get('q1')).toBe(ndcgAt(qrels, run, 5).perQuery.get('q1'));
    expect(recallAt(qrels, passageRun, 3).perQuery.get('q1')).toBeCloseTo(2 / 3, 12);
  });

  it('is 1 for a perfect ranking', () => {
    const perfect: Run = new Map([['q1', [{ docId: 'd1', score: 3 }, { docId: 'd4', score: 2 }, { docId: 'd2', score: 1 }]]]);
    expect(ndcgAt(qrels, perfect, 10).perQuery.get('q1')).toBeCloseTo(1, 12);
  });
});

describe('Recall@k', () => {
  it('is relevant retrieved in the top k over all relevant (grade > 0)', () => {
    // q1 relevant: d1, d2, d4 (d3 is graded 0). Top 3 holds d1, d2.
    expect(recallAt(qrels, run, 3).perQuery.get('q1')).toBeCloseTo(2 / 3, 12);
    expect(recallAt(qrels, run, 2).perQuery.get('q1')).toBeCloseTo(1 / 3, 12);
    expect(recallAt(qrels, run, 100).mean).toBeCloseTo(2 / 3 / 3, 12);
  });
});

describe('MRR@k', () => {
  it('is 1 / rank of the first relevant document within the top k', () => {
    expect(mrrAt(qrels, run, 10).perQuery.get('q1')).toBe(1 / 2);
    expect(mrrAt(qrels, run, 1).perQuery.get('q1')).toBe(0);
    expect(mrrAt(qrels, run, 10).mean).toBeCloseTo(1 / 2 / 3, 12);
  });
});

describe('ranking as trec_eval does', () => {
  it('orders by score whatever the given order, ties by document id descending', () => {
    const judged: Qrels = new Map([['q', new Map([['a', 1]])]]);
    const shuffled: Run = new Map([['q', [{ docId: 'x', score: 1 }, { docId: 'a', score: 5 }]]]);
    expect(mrrAt(judged, shuffled, 10).mean).toBe(1);
    const tied: Run = new Map([['q', [{ docId: 'a', score: 1 }, { docId: 'b', score: 1 }]]]);
    expect(mrrAt(judged, tied, 10).mean).toBe(1 / 2);
  });

  it('rejects a cutoff that is not a positive integer', () => {
    expect(() => ndcgAt(qrels, run, 0)).toThrow(RangeError);
  });
});

describe('evaluate', () => {
  it('reports every metric at every cutoff under BEIR’s names', () => {
    const summary = evaluate(qrels, run, [3, 10]);
    expect(Object.keys(summary)).toEqual(['nDCG@3', 'nDCG@10', 'Recall@3', 'Recall@10', 'MRR@3', 'MRR@10']);
    expect(summary['nDCG@3']).toBe(ndcgAt(qrels, run, 3).mean);
    expect(summary['MRR@10']).toBe(mrrAt(qrels, run, 10).mean);
  });
});
