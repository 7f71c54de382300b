/**
 * Synthetic embeddings for the ANN benchmark: unit vectors around random cluster centres, like
 * passages around topics. Seeded, so every run (and the cached 1M graph) sees the same vectors.
 */
import { seededUint32 } from '../src/seeded-random.js';

export interface ClusterSpec {
  dimension: number;
  clusters: number;
  /** Standard deviation of a point around its centre, per coordinate, relative to the centre's. */
  spread: number;
  seed: number;
}

const TABLE_BITS = 16;

/**
 * Standard normal samples. Box–Muller for each of 1M × 512 coordinates takes about a minute, so
 * a table of 65,536 Box–Muller values is drawn from at random instead: seconds, same distribution
 * to well within what matters for noise around a centre.
 */
function normal(seed: number): () => number {
  const next = seededUint32(seed);
  const table = new Float64Array(1 << TABLE_BITS);
  for (let i = 0; i < table.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - next() / 2 ** 32));
    const angle = (2 * Math.PI * next()) / 2 ** 32;
    table[i] = radius * Math.cos(angle);
    table[i + 1] = radius * Math.sin(angle);
  }
  return () => table[next() >>> (32 - TABLE_BITS)]!;
}

export class ClusteredVectors {
  private readonly centres: Float32Array;

  constructor(readonly spec: ClusterSpec) {
    const gaussian = normal(spec.seed);
    this.centres = Float32Array.from({ length: spec.clusters * spec.dimension }, gaussian);
  }

  /**
   * `count` unit vectors in row-major order, point i in cluster i mod clusters. `stream` picks an
   * independent sequence: the indexed points and the questions must not coincide.
   */
  generate(count: number, stream: number): Float32Array {
    const { dimension, clusters, spread, seed } = this.spec;
    const gaussian = normal(seed * 7919 + stream + 1);
    const rows = new Float32Array(count * dimension);
    for (let row = 0; row < count; row += 1) {
      const centre = (row % clusters) * dimension;
      const offset = row * dimension;
      let norm = 0;
      for (let i = 0; i < dimension; i += 1) {
        const value = this.centres[centre + i]! + spread * gaussian();
        rows[offset + i] = value;
        norm += value * value;
      }
      const scale = 1 / Math.sqrt(norm);
      for (let i = 0; i < dimension; i += 1) rows[offset + i]! *= scale;
    }
    return rows;
  }
}
