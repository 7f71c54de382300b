import { describe, expect, it } from 'vitest';
import { DISTINCTNESS_PAIRS, documentDistinctness } from '../src/indexing/document-distinctness.js';

/** A fixed pseudo-random source, so every run sees the same vectors. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
}

/**
 * `documents` documents of `passages` passages each in `dimension` dimensions: each passage is
 * its document's topic vector times `topic` plus noise, so `topic` 0 makes documents
 * indistinguishable and a large one sets each apart.
 */
function corpus(documents: number, passages: number, topic: number, dimension = 16, seed = 7) {
  const random = randomSource(seed);
  const vectors = new Map<number, Float32Array>();
  const ids: number[][] = [];
  let next = 0;
  for (let d = 0; d < documents; d++) {
    const centre = Float32Array.from({ length: dimension }, () => random());
    ids.push(
      Array.from({ length: passages }, () => {
        const id = next++;
        vectors.set(id, Float32Array.from(centre, (x) => topic * x + random()));
        return id;
      }),
    );
  }
  return { ids, vectorOf: (id: number) => vectors.get(id)! };
}

/** Somers' D over every pair, as the measure would be with no sampling. */
function exactDistinctness(ids: number[][], vectorOf: (id: number) => Float32Array): number {
  const cosine = (a: number, b: number) => {
    const [x, y] = [vectorOf(a), vectorOf(b)];
    const dot = x.reduce((sum, v, i) => sum + v * y[i]!, 0);
    return dot / Math.hypot(...x) / Math.hypot(...y);
  };
  const within = ids.flatMap((doc) => doc.flatMap((a, i) => doc.slice(i + 1).map((b) => cosine(a, b))));
  const across = ids.flatMap((doc, d) => ids.slice(d + 1).flatMap((other) => doc.flatMap((a) => other.map((b) => cosine(a, b)))));
  // Mann–Whitney through the rank sum of the pooled similarities (no ties among random floats).
  const pooled = [...within.map((value) => ({ value, within: true })), ...across.map((value) => ({ value, within: false }))];
  pooled.sort((x, y) => x.value - y.value);
  const rankSum = pooled.reduce((sum, item, rank) => (item.within ? sum + rank + 1 : sum), 0);
  const auc = (rankSum - (within.length * (within.length + 1)) / 2) / (within.length * across.length);
  return 2 * auc - 1;
}

describe('document distinctness', () => {
  it('is near 0 when documents are indistinguishable and near 1 when each is about a thing of its own', () => {
    const alike = corpus(5, 10, 0);
    const apart = corpus(5, 10, 4);
    expect(Math.abs(documentDistinctness(alike.ids, alike.vectorOf)!)).toBeLessThan(0.15);
    expect(documentDistinctness(apart.ids, apart.vectorOf)!).toBeGreaterThan(0.9);
  });

  it('grows as documents stand further apart', () => {
    const values = [0.25, 0.5, 1, 2].map((topic) => {
      const { ids, vectorOf } = corpus(6, 8, topic);
      return documentDistinctness(ids, vectorOf)!;
    });
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
  });

  it('compares every pair of a small corpus, and estimates a large one closely from a fixed sample', () => {
    const small = corpus(4, 6, 1);
    expect(documentDistinctness(small.ids, small.vectorOf)).toBeCloseTo(exactDistinctness(small.ids, small.vectorOf), 10);
    // 100 documents of 10 passages: 4,500 pairs within documents and 495,000 across, so both are sampled.
    const large = corpus(100, 10, 0.6);
    expect(100 * 45).toBeGreaterThan(DISTINCTNESS_PAIRS);
    const estimate = documentDistinctness(large.ids, large.vectorOf)!;
    expect(Math.abs(estimate - exactDistinctness(large.ids, large.vectorOf))).toBeLessThan(0.03);
    expect(documentDistinctness(large.ids, large.vectorOf)).toBe(estimate);
  });

  it('weighs every document alike, so one long document neither decides it nor makes it jump when all pairs can no longer be compared', () => {
    // A long document whose passages are loosely knit, beside 60 tight three-passage ones.
    const tight = corpus(60, 3, 4, 16, 11);
    const loose = corpus(1, 90, 0, 16, 12);
    const withLong = (passages: number) => {
      const long = loose.ids[0]!.slice(0, passages).map((id) => 10_000 + id);
      const vectorOf = (id: number) => (id >= 10_000 ? loose.vectorOf(id - 10_000) : tight.vectorOf(id));
      return documentDistinctness([...tight.ids, long], vectorOf)!;
    };
    // 87 passages: 3,741 + 180 = 3,921 pairs within documents, all compared; 88: 3,828 + 180, sampled.
    const [compared, sampled] = [withLong(87), withLong(88)];
    expect(Math.abs(compared - sampled)).toBeLessThan(0.05);
    // Without the long document the tight ones alone measure about the same.
    expect(Math.abs(compared - documentDistinctness(tight.ids, tight.vectorOf)!)).toBeLessThan(0.05);
  });

  it('compares in full, for documents of different lengths, every document and every pair of documents weighing alike', () => {
    const { vectorOf } = corpus(1, 16, 0, 16, 5);
    const ids = [[0, 1], [2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12, 13, 14, 15]];
    const cosine = (a: number, b: number) => {
      const [x, y] = [vectorOf(a), vectorOf(b)];
      return x.reduce((sum, v, i) => sum + v * y[i]!, 0) / Math.hypot(...x) / Math.hypot(...y);
    };
    const within = ids.flatMap((doc) => doc.flatMap((a, i) => doc.slice(i + 1).map((b) => ({ value: cosine(a, b), weight: 2 / (doc.length * (doc.length - 1)) }))));
    const across = ids.flatMap((doc, d) =>
      ids.slice(d + 1).flatMap((other) => doc.flatMap((a) => other.map((b) => ({ value: cosine(a, b), weight: 1 / (doc.length * other.length) })))),
    );
    let [sum, total] = [0, 0];
    for (const w of within) for (const c of across) {
      sum += w.weight * c.weight * Math.sign(w.value - c.value);
      total += w.weight * c.weight;
    }
    expect(documentDistinctness(ids, vectorOf)).toBeCloseTo(sum / total, 10);
  });

  it('reads the same whatever the length of the vectors', () => {
    const { ids, vectorOf } = corpus(5, 6, 1);
    const longer = (id: number) => vectorOf(id).map((x) => x * (1 + (id % 3)));
    expect(documentDistinctness(ids, longer)).toBeCloseTo(documentDistinctness(ids, vectorOf)!, 10);
  });

  it('is null when there is nothing to compare', () => {
    const { ids, vectorOf } = corpus(3, 4, 1);
    expect(documentDistinctness([ids[0]!], vectorOf)).toBeNull();
    expect(documentDistinctness(ids.map((doc) => doc.slice(0, 1)), vectorOf)).toBeNull();
    expect(documentDistinctness([ids[0]!, []], vectorOf)).toBeNull();
  });
});
