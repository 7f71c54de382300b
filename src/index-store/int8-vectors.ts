/**
 * Vectors kept in 8 bits a component, for the cosine of candidates another signal found: a
 * quarter of the memory of float32 (51 MB rather than 205 MB for 100k passages of 512
 * dimensions), as fast to score, and within about 0.001 of the exact cosine (symmetric
 * quantization, one scale per vector: `test/int8-vectors.test.ts`).
 */
export interface Int8Vector {
  codes: Int8Array;
  /** The value of one code step: the component of largest magnitude over 127. */
  scale: number;
  /** The norm of the vector the codes stand for, so a cosine needs no pass to compute it. */
  norm: number;
}

/** `vector` in 8 bits a component, written into `codes` (a fresh array unless one is given). */
export function quantize(vector: Float32Array, codes = new Int8Array(vector.length)): Int8Vector {
  let largest = 0;
  for (let i = 0; i < vector.length; i += 1) largest = Math.max(largest, Math.abs(vector[i]!));
  const scale = largest === 0 ? 1 : largest / 127;
  let squares = 0;
  for (let i = 0; i < vector.length; i += 1) {
    const code = Math.round(vector[i]! / scale);
    codes[i] = code;
    squares += code * code;
  }
  return { codes, scale, norm: Math.sqrt(squares) * scale };
}

/** Quantizes rows that share one buffer: one allocation for a whole index rather than one per passage. */
export function quantizeAll(rows: ReadonlyArray<readonly [number, Float32Array]>, dimension: number): Map<number, Int8Vector> {
  const buffer = new Int8Array(rows.length * dimension);
  return new Map(rows.map(([id, vector], row) => [id, quantize(vector, buffer.subarray(row * dimension, (row + 1) * dimension))]));
}

/** The cosine similarity of a stored vector to `query`, whose norm the caller gives. */
export function cosine(stored: Int8Vector, query: Float32Array, queryNorm: number): number {
  const { codes } = stored;
  let dot = 0;
  for (let i = 0; i < codes.length; i += 1) dot += codes[i]! * query[i]!;
  return (dot * stored.scale) / (stored.norm * queryNorm || 1);
}

export function normOf(vector: Float32Array): number {
  let squares = 0;
  for (let i = 0; i < vector.length; i += 1) squares += vector[i]! * vector[i]!;
  return Math.sqrt(squares);
}
