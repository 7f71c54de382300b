import type { VectorHit } from '../src/index-store/vector-index.js';

/**
 * Exact nearest neighbours by cosine similarity: every stored vector is scored against the
 * question. The reference HNSW is compared with, for latency and for recall. Rows are stored
 * normalised, so a score is one dot product.
 */
export class BruteForceIndex {
  private readonly rowOf: Map<number, number>;

  private constructor(
    private readonly ids: readonly number[],
    private readonly matrix: Float32Array,
    readonly dimension: number,
  ) {
    this.rowOf = new Map(ids.map((id, row) => [id, row]));
  }

  /** Over the vectors an index stored (passage id → vector). */
  static fromVectors(vectors: ReadonlyMap<number, Float32Array>, dimension: number): BruteForceIndex {
    const ids = [...vectors.keys()];
    const matrix = new Float32Array(ids.length * dimension);
    ids.forEach((id, row) => matrix.set(normalized(vectors.get(id)!), row * dimension));
    return new BruteForceIndex(ids, matrix, dimension);
  }

  /** Over row-major unit vectors, each labelled by its row number. */
  static fromUnitRows(matrix: Float32Array, dimension: number): BruteForceIndex {
    return new BruteForceIndex(Array.from({ length: matrix.length / dimension }, (_, row) => row), matrix, dimension);
  }

  get size(): number {
    return this.ids.length;
  }

  search(vector: Float32Array, k: number, filter?: (id: number) => boolean): VectorHit[] {
    const query = normalized(vector);
    const { dimension, matrix, ids } = this;
    // The best k so far, best first; a row enters only when it beats the worst of them.
    const topIds: number[] = [];
    const topScores: number[] = [];
    for (let row = 0; row < ids.length; row += 1) {
      const score = dot(matrix, row * dimension, query);
      if (topScores.length === k && score <= topScores[k - 1]!) continue;
      const id = ids[row]!;
      if (filter && !filter(id)) continue;
      let at = topScores.length;
      while (at > 0 && topScores[at - 1]! < score) at -= 1;
      topScores.splice(at, 0, score);
      topIds.splice(at, 0, id);
      if (topScores.length > k) {
        topScores.pop();
        topIds.pop();
      }
    }
    return topIds.map((id, i) => ({ id, similarity: topScores[i]! }));
  }

  similarity(id: number, vector: Float32Array): number {
    const row = this.rowOf.get(id);
    if (row === undefined) throw new Error(`No vector for ${id}`);
    return dot(this.matrix, row * this.dimension, normalized(vector));
  }
}

/** Four running sums let the CPU overlap the multiply-adds: about twice as fast as one sum in V8. */
function dot(matrix: Float32Array, offset: number, query: Float32Array): number {
  const length = query.length;
  const whole = length - (length % 4);
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let i = 0; i < whole; i += 4) {
    a += matrix[offset + i]! * query[i]!;
    b += matrix[offset + i + 1]! * query[i + 1]!;
    c += matrix[offset + i + 2]! * query[i + 2]!;
    d += matrix[offset + i + 3]! * query[i + 3]!;
  }
  for (let i = whole; i < length; i += 1) a += matrix[offset + i]! * query[i]!;
  return a + b + c + d;
}

function normalized(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return vector.map((x) => x / norm);
}
