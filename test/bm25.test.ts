import path from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBeirDataset } from '../src/eval/beir-dataset.js';
import { ndcgAt, type ScoredDocument } from '../src/eval/beir-metrics.js';
import { analyzeToken } from '../src/lexical/analyzer.js';
import { Bm25Index } from '../src/lexical/bm25.js';
import type { Bm25Json } from '../src/lexical/bm25-json.js';
import { seededRandom } from '../src/seeded-random.js';
import { PROJECT_ROOT } from './helpers/workspace.js';

/**
 * Toy corpus, small enough to score by hand. Terms after analysis:
 *   1: cat dog        (length 2)
 *   2: cat cat fish   (length 3)
 *   3: bird           (length 1)
 * N = 3, avgdl = 6 / 3 = 2, df(cat) = 2, df(fish) = df(dog) = 1.
 */
function toyIndex(params?: { k1: number; b: number }): Bm25Index {
  const index = new Bm25Index(params);
  index.add(1, 'The cat and the dog.');
  index.add(2, 'Cats, cats and a fish!');
  index.add(3, 'A bird.');
  return index;
}

describe('Bm25Index scoring', () => {
  // idf = ln(1 + (N − df + 0.5) / (df + 0.5))
  const idfCat = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5)); // ln 1.6
  const idfRare = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5)); // ln 8/3

  it('matches Lucene BM25 computed by hand (k1 = 0.9, b = 0.4)', () => {
    // doc 1: tf 1, |d| 2 → 1 / (1 + 0.9 · (0.6 + 0.4 · 2/2)) = 1 / 1.9
    // doc 2: tf 2, |d| 3 → 2 / (2 + 0.9 · (0.6 + 0.4 · 3/2)) = 2 / 3.08
    const hits = toyIndex().search('cat', 10);
    expect(hits.map((h) => h.id)).toEqual([2, 1]);
    expect(hits[0]!.score).toBeCloseTo((idfCat * 2) / 3.08, 9);
    expect(hits[1]!.score).toBeCloseTo(idfCat / 1.9, 9);
  });

  it('sums over query terms and counts a repeated query term once per repetition', () => {
    const index = toyIndex();
    // doc 2 also has fish: tf 1 → 1 / (1 + 1.08)
    expect(index.search('cat fish', 10)[0]).toEqual({ id: 2, score: expect.closeTo((idfCat * 2) / 3.08 + idfRare / 2.08, 9) });
    expect(index.search('dog dog', 10)).toEqual([{ id: 1, score: expect.closeTo((2 * idfRare) / 1.9, 9) }]);
  });

  it('honours k1 and b', () => {
    // doc 2, k1 1.2, b 0.75: 2 / (2 + 1.2 · (0.25 + 0.75 · 1.5)) = 2 / 3.65
    const index = toyIndex({ k1: 1.2, b: 0.75 });
    expect(index.scoreOf('cat', 2)).toBeCloseTo((idfCat * 2) / 3.65, 9);
  });

  it('analyses queries like passages (case, plural, stop words)', () => {
    const index = toyIndex();
    expect(index.search('THE CATS', 10)).toEqual(index.search('cat', 10));
    expect(index.search('the and of', 10)).toEqual([]);
    expect(index.search('unicorn', 10)).toEqual([]);
  });

  it('returns at most `limit` hits, ties by ascending id', () => {
    const index = new Bm25Index();
    for (const id of [7, 3, 5, 9]) index.add(id, 'same words here');
    index.add(1, 'other');
    expect(index.search('words', 3)).toEqual([3, 5, 7].map((id) => ({ id, score: expect.any(Number) })));
    const scores = index.search('words', 10).map((h) => h.score);
    expect(new Set(scores).size).toBe(1);
    expect(index.search('words', 0)).toEqual([]);
  });

  it('applies the filter before cutting to `limit`', () => {
    const index = toyIndex();
    expect(index.search('cat', 1, (id) => id !== 2)).toEqual([{ id: 1, score: expect.closeTo(idfCat / 1.9, 9) }]);
  });

  it('scoreOf agrees exactly with search, is 0 without shared terms and undefined for unknown ids', () => {
    const index = toyIndex();
    for (const hit of index.search('cat fish dog', 10)) expect(index.scoreOf('cat fish dog', hit.id)).toBe(hit.score);
    expect(index.scoreOf('cat', 3)).toBe(0);
    expect(index.scoreOf('cat', 42)).toBeUndefined();
  });

  it('scores a prepared query exactly as its text', () => {
    const index = toyIndex();
    const prepared = index.prepare('cat fish dog');
    expect(index.search(prepared, 10)).toEqual(index.search('cat fish dog', 10));
    for (const id of [1, 2, 3]) expect(index.scoreOf(prepared, id)).toBe(index.scoreOf('cat fish dog', id));
  });

  it('coverageOf is the share of distinct query terms a passage contains, unknown terms included', () => {
    const index = toyIndex();
    // Terms: cat, fish, unicorn (known to no passage); "cats" repeats cat.
    const query = index.prepare('cats, a cat, a fish and a unicorn');
    expect(index.coverageOf(query, 2)).toBeCloseTo(2 / 3, 12);
    expect(index.coverageOf(query, 1)).toBeCloseTo(1 / 3, 12);
    expect(index.coverageOf(query, 3)).toBe(0);
    expect(index.coverageOf('the and of', 1)).toBe(0);
    expect(index.coverageOf(query, 42)).toBeUndefined();
  });

  it('termSetOf gives equal sets for passages with the same words, whatever their form', () => {
    const index = toyIndex();
    index.add(4, 'DOGS and cats.');
    expect(index.termSetOf(4)).toEqual(index.termSetOf(1));
    expect(index.termSetOf(4)).not.toEqual(index.termSetOf(2));
    expect(index.termSetOf(42)).toBeUndefined();
  });
});

describe('Bm25Index maintenance', () => {
  it('tracks size and membership, and refuses a duplicate id', () => {
    const index = toyIndex();
    expect(index.size).toBe(3);
    expect(index.has(2)).toBe(true);
    expect(() => index.add(2, 'again')).toThrow(/already indexed/);
    expect(index.remove(2)).toBe(true);
    expect(index.remove(2)).toBe(false);
    expect(index.has(2)).toBe(false);
    expect(index.size).toBe(2);
    expect(index.search('fish', 10)).toEqual([]);
    index.add(2, 'fish');
    expect(index.search('fish', 10).map((h) => h.id)).toEqual([2]);
  });

  it('rejects non-integer ids and out-of-range parameters', () => {
    expect(() => new Bm25Index().add(1.5, 'x')).toThrow(RangeError);
    expect(() => new Bm25Index({ b: 1.5 })).toThrow(RangeError);
    expect(() => new Bm25Index({ k1: -1 })).toThrow(RangeError);
  });

  it('after any sequence of adds and removes, scores exactly as an index built from scratch', () => {
    const random = seededRandom(7);
    const vocabulary = Array.from({ length: 40 }, (_, i) => `word${i}`);
    const text = () => Array.from({ length: 1 + Math.floor(random() * 12) }, () => vocabulary[Math.floor(random() * 20 + random() * 20)]).join(' ');

    const incremental = new Bm25Index();
    const final = new Map<number, string>();
    for (let id = 0; id < 300; id++) {
      // Words unique to a passage vanish with it, so compaction has terms to drop and renumber.
      const t = `${text()} only${id}`;
      incremental.add(id, t);
      final.set(id, t);
    }
    // Removing 200 of 300 passes the point where removed slots outnumber live ones (compaction).
    for (let id = 0; id < 300; id += 3) {
      incremental.remove(id);
      incremental.remove(id + 1);
      final.delete(id);
      final.delete(id + 1);
    }
    for (let id = 0; id < 300; id += 6) {
      const t = text();
      incremental.add(id, t);
      final.set(id, t);
    }
    incremental.remove(2);
    final.delete(2);

    const scratch = new Bm25Index();
    for (const id of [...final.keys()].reverse()) scratch.add(id, final.get(id)!);

    expect(incremental.size).toBe(scratch.size);
    for (let q = 0; q < 30; q++) {
      const query = text();
      const hits = scratch.search(query, 50);
      expect(incremental.search(query, 50)).toEqual(hits);
      for (const { id, score } of hits) expect(incremental.scoreOf(query, id)).toBe(score);
    }
    expect(incremental.toJSON()).toEqual(scratch.toJSON());
  });

  it('forgets a term once no passage holds it', () => {
    const index = toyIndex();
    index.remove(3);
    expect(index.toJSON().terms).not.toContain('bird');
    expect(index.search('bird', 10)).toEqual([]);
  });

  it('handles emptying the index completely', () => {
    const index = toyIndex();
    for (const id of [1, 2, 3]) index.remove(id);
    expect(index.size).toBe(0);
    expect(index.search('cat', 10)).toEqual([]);
    index.add(4, 'cat');
    expect(index.search('cat', 10).map((h) => h.id)).toEqual([4]);
  });
});

describe('Bm25Index serialisation', () => {
  it('round-trips through JSON text exactly: same data, same scores, same parameters', () => {
    const index = toyIndex({ k1: 1.1, b: 0.6 });
    index.remove(1);
    index.add(10, 'dog dog bird, a cat');
    const json = JSON.parse(JSON.stringify(index)) as Bm25Json;
    const restored = Bm25Index.fromJSON(json);
    expect(restored.toJSON()).toEqual(json);
    expect([restored.k1, restored.b]).toEqual([1.1, 0.6]);
    for (const query of ['cat', 'dog bird', 'fish cat dog']) expect(restored.search(query, 10)).toEqual(index.search(query, 10));
    // The restored index stays maintainable.
    restored.remove(10);
    index.remove(10);
    expect(restored.search('dog', 10)).toEqual(index.search('dog', 10));
  });

  it('stores ids, lengths and delta-coded postings in canonical order', () => {
    const json = toyIndex().toJSON();
    expect(json.ids).toEqual([1, 2, 3]);
    expect(json.lengths).toEqual([2, 3, 1]);
    expect(json.terms).toEqual(['bird', 'cat', 'dog', 'fish']);
    // cat: passage #0 tf 1, passage #1 (gap 1) tf 2
    expect(json.postings).toEqual([[2, 1], [0, 1, 1, 2], [0, 1], [1, 1]]);
  });

  it('rejects data that is not a valid serialised index', () => {
    const good = toyIndex().toJSON();
    expect(() => Bm25Index.fromJSON(null)).toThrow(/expected an object/);
    expect(() => Bm25Index.fromJSON({ ...good, format: 'other' })).toThrow(/format/);
    expect(() => Bm25Index.fromJSON({ ...good, ids: [3, 2, 1] })).toThrow(/ascending/);
    expect(() => Bm25Index.fromJSON({ ...good, lengths: [2, 3] })).toThrow(/lengths/);
    expect(() => Bm25Index.fromJSON({ ...good, lengths: [2, 3, 5] })).toThrow(/inconsistent/);
    expect(() => Bm25Index.fromJSON({ ...good, postings: [[3, 1], [0, 1, 1, 2], [0, 1], [1, 1]] })).toThrow(/refer to passage #3/);
    expect(() => Bm25Index.fromJSON({ ...good, postings: [[2, 1], [0, 1, 0, 2], [0, 1], [1, 1]] })).toThrow(/twice/);
  });
});

const scifact = path.join(PROJECT_ROOT, '../shared/datasets/scifact');

describe.skipIf(!existsSync(scifact))('BM25 on BEIR SciFact', () => {
  it('lands within 0.02 of the published BM25 nDCG@10 (0.665) on the test split', async () => {
    const { corpus, queries, qrels } = await loadBeirDataset(scifact, 'test');
    const index = new Bm25Index();
    corpus.forEach((document, i) => index.add(i, `${document.title} ${document.text}`));
    const run = new Map<string, ScoredDocument[]>();
    for (const query of queries) {
      run.set(query.id, index.search(query.text, 100).map((hit) => ({ docId: corpus[hit.id]!.id, score: hit.score })));
    }
    expect(ndcgAt(qrels, run, 10).mean).toBeGreaterThan(0.645);
    expect(ndcgAt(qrels, run, 10).mean).toBeLessThan(0.685);
  });
});

describe('BM25 over documents (groups of passages)', () => {
  it('scores each document as BM25 would score its passages joined into one text, with the passages\' idf', () => {
    const passages: Array<[id: number, document: number, text: string]> = [
      [1, 0, 'Volcanic ash drifted over the valley.'],
      [2, 0, 'The ash cloud grounded flights for a week.'],
      [3, 1, 'Honeybees dance to show where nectar is.'],
      [4, 2, 'Ash trees lose their leaves early; the valley floods in spring.'],
    ];
    const byPassage = new Bm25Index();
    for (const [id, , text] of passages) byPassage.add(id, text);
    const byDocument = new Bm25Index();
    for (const document of [0, 1, 2]) {
      byDocument.add(document, passages.filter(([, of]) => of === document).map(([, , text]) => text).join(' '));
    }
    const grouping = {
      groupOf: (id: number) => passages.find(([passage]) => passage === id)![1],
      membersOf: (document: number) => passages.filter(([, of]) => of === document).map(([id]) => id),
      lengths: new WeakMap(),
    };
    const idfRatio = (word: string) => byPassage.idf(analyzeToken(word)!) / byDocument.idf(analyzeToken(word)!);
    for (const [query, term] of [['ash', 'ash'], ['nectar', 'nectar'], ['valley', 'valley']] as const) {
      const grouped = byPassage.groupScores(query, grouping, [0, 1, 2]);
      const expected = new Map(byDocument.search(query, 10).map((hit) => [hit.id, hit.score]));
      // One term: the document's score is BM25 over the joined text, weighted by the passage idf.
      for (const document of [0, 1, 2]) expect(grouped.get(document)).toBeCloseTo((expected.get(document) ?? 0) * idfRatio(term), 10);
    }
    const ranked = byPassage.groupScores('flights grounded by ash', grouping, [0, 1, 2]);
    expect(ranked.get(0)!).toBeGreaterThan(ranked.get(2)!);
    expect(ranked.get(1)).toBe(0);
  });
});
