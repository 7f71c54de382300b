import { closeSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { cosine, normOf, quantize, type Int8Vector } from './int8-vectors.js';

export interface HnswParams {
  /** Graph degree: higher gives better recall and a larger, slower-to-build index. */
  m: number;
  efConstruction: number;
  /** Candidates examined per search: the recall/latency dial at query time. */
  efSearch: number;
}

export interface VectorHit {
  id: number;
  /** Cosine similarity, from -1 to 1. */
  similarity: number;
}

// Room to add passages after a load without resizing the graph on every re-index.
const GROWTH = 1.25;

/**
 * An approximate nearest-neighbour index (HNSW, cosine) over passage vectors keyed by passage id.
 * The vectors are also kept by id, in 8 bits a component: hybrid ranking asks for the similarity
 * of every passage only BM25 found, and reading one back from the graph (hnswlib-node's getPoint
 * builds a JS array element by element) costs 40 µs against 3 µs for a dot product over a kept
 * vector, about 2 ms a question for 50 such passages. The price is one byte per dimension per
 * passage (`int8-vectors.ts`).
 */
export class VectorIndex {
  private constructor(
    private readonly graph: hnswlib.HierarchicalNSW,
    private readonly stored: Map<number, Int8Vector>,
  ) {}

  static create(dimension: number, capacity: number, params: HnswParams): VectorIndex {
    const graph = new hnswlib.HierarchicalNSW('cosine', dimension);
    graph.initIndex({
      maxElements: Math.max(16, Math.ceil(capacity * GROWTH)),
      m: params.m,
      efConstruction: params.efConstruction,
      allowReplaceDeleted: true,
    });
    graph.setEf(params.efSearch);
    return new VectorIndex(graph, new Map());
  }

  /** The graph written to `file`, over `stored`: the passages it holds, by id, as they were added (`quantizeAll`). */
  static read(file: string, dimension: number, stored: Map<number, Int8Vector>, efSearch: number): VectorIndex {
    const graph = new hnswlib.HierarchicalNSW('cosine', dimension);
    graph.readIndexSync(file, true);
    graph.setEf(efSearch);
    return new VectorIndex(graph, stored);
  }

  get size(): number {
    return this.stored.size;
  }

  /** Changes how many candidates a search examines; the graph stays as built (benchmarks sweep this). */
  setEfSearch(efSearch: number): void {
    this.graph.setEf(efSearch);
  }

  add(id: number, vector: Float32Array): void {
    if (this.graph.getCurrentCount() >= this.graph.getMaxElements()) {
      this.graph.resizeIndex(Math.ceil(this.graph.getMaxElements() * GROWTH) + 1);
    }
    this.graph.addPoint(Array.from(vector), id, true);
    this.stored.set(id, quantize(vector));
  }

  remove(id: number): void {
    if (!this.stored.delete(id)) return;
    this.graph.markDelete(id);
  }

  search(vector: Float32Array, k: number, filter?: (id: number) => boolean): VectorHit[] {
    const wanted = Math.min(k, this.stored.size);
    if (wanted === 0) return [];
    const { neighbors, distances } = this.graph.searchKnn(Array.from(vector), wanted, filter);
    return neighbors.map((id, i) => ({ id, similarity: 1 - distances[i]! }));
  }

  /** Every passage's 8-bit vector, in a map of its own: for a copy of the graph that will change. */
  quantizedVectors(): Map<number, Int8Vector> {
    return new Map(this.stored);
  }

  /** The 8-bit copy of a passage's vector, as the index file stores it. */
  quantized(id: number): Int8Vector {
    const stored = this.stored.get(id);
    if (stored === undefined) throw new RangeError(`passage ${id} is not in the vector index`);
    return stored;
  }

  /**
   * Cosine similarity of a stored passage to `vector`, for passages another signal found; from
   * the 8-bit copy, so within about 0.002 of what `search` reports for the same passage.
   */
  similarity(id: number, vector: Float32Array, vectorNorm = normOf(vector)): number {
    return cosine(this.quantized(id), vector, vectorNorm);
  }

  /**
   * Writes the graph to `file`. hnswlib writes through an unchecked C++ stream, so a full disk
   * leaves a short file without an error: the size is checked against the file's own header.
   */
  write(file: string): void {
    this.graph.writeIndexSync(file);
    const shortBy = shortfallOf(file);
    if (shortBy > 0) {
      // A short write to a local file is a full disk in practice; reported as the write error it hid.
      throw Object.assign(new Error(`ENOSPC: ${path.basename(file)} was written ${shortBy} bytes short`), { code: 'ENOSPC', path: file });
    }
  }
}

// hnswlib's saveIndex header: offsetLevel0, maxElements, curElementCount, sizeDataPerElement,
// labelOffset, offsetData (size_t each), maxLevel, enterpoint (int32), maxM, maxM0, M (size_t),
// mult (double), efConstruction (size_t); then every element's level-0 block, then for each
// element a 4-byte link-list size and its links.
const HEADER_BYTES = 6 * 8 + 2 * 4 + 3 * 8 + 8 + 8;

/** How many bytes `file` lacks of the least its header says it holds (0 when it is whole enough). */
function shortfallOf(file: string): number {
  const size = statSync(file).size;
  if (size < HEADER_BYTES) return HEADER_BYTES - size;
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const count = Number(header.readBigUInt64LE(16));
  const perElement = Number(header.readBigUInt64LE(24));
  return Math.max(0, HEADER_BYTES + count * (perElement + 4) - size);
}
