import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IndexCorruptError } from '../config/errors.js';
import { Bm25Index } from '../lexical/bm25.js';
import type { Passage } from '../passages/passage.js';
import type { IndexDirectory } from './index-directory.js';
import type { IndexManifest } from './manifest.js';
import { VectorIndex } from './vector-index.js';

export const PASSAGES_FILE = 'passages.json';
export const VECTORS_FILE = 'vectors.f32';
export const GRAPH_FILE = 'hnsw.bin';
export const LEXICAL_FILE = 'lexical.json';

/** An index in memory: its manifest, its passages by id, and the vector graph and BM25 index over them. */
export class CorpusIndex {
  readonly passages: ReadonlyMap<number, Passage>;

  constructor(
    readonly manifest: IndexManifest,
    passages: Passage[],
    readonly vectors: VectorIndex,
    readonly lexical: Bm25Index,
  ) {
    this.passages = new Map(passages.map((passage) => [passage.id, passage]));
  }

  get version(): string {
    return this.manifest.version;
  }

  /** Loads a verified version; damage found here is an `IndexCorruptError`. */
  static async load(directory: IndexDirectory, version: string, efSearch: number): Promise<CorpusIndex> {
    const manifest = await directory.readVerified(version);
    let passages: Passage[];
    try {
      passages = JSON.parse(await readFile(directory.versionPath(version, PASSAGES_FILE), 'utf8')) as Passage[];
    } catch (error) {
      throw new IndexCorruptError(`${PASSAGES_FILE} of index ${version} is unreadable (${(error as Error).message})`);
    }
    if (!Array.isArray(passages) || passages.length !== manifest.passageCount) {
      throw new IndexCorruptError(`${PASSAGES_FILE} of index ${version} does not hold the passages its manifest lists`);
    }
    const graph = VectorIndex.read(
      directory.versionPath(version, GRAPH_FILE),
      manifest.model.dimension,
      passages.map((passage) => passage.id),
      efSearch,
    );
    return new CorpusIndex(manifest, passages, graph, await readLexical(directory, version));
  }

  /** The stored vectors of this version by passage id: what an incremental re-index reuses. */
  static async readVectors(directory: IndexDirectory, manifest: IndexManifest): Promise<Map<number, Float32Array>> {
    const [bytes, passagesJson] = await Promise.all([
      readFile(directory.versionPath(manifest.version, VECTORS_FILE)),
      readFile(directory.versionPath(manifest.version, PASSAGES_FILE), 'utf8'),
    ]);
    const ids = (JSON.parse(passagesJson) as Passage[]).map((passage) => passage.id);
    const { dimension } = manifest.model;
    if (bytes.byteLength !== ids.length * dimension * Float32Array.BYTES_PER_ELEMENT) {
      throw new IndexCorruptError(`${VECTORS_FILE} of index ${manifest.version} does not match its passages`);
    }
    // A Float32Array view needs 4-byte alignment, which a Buffer's offset does not promise.
    const all = new Float32Array(new Uint8Array(bytes).buffer);
    return new Map(ids.map((id, row) => [id, all.slice(row * dimension, (row + 1) * dimension)]));
  }
}

/** A private copy of the BM25 index of `version`, read from its file. */
export async function readLexical(directory: IndexDirectory, version: string): Promise<Bm25Index> {
  try {
    return Bm25Index.fromJSON(JSON.parse(await readFile(directory.versionPath(version, LEXICAL_FILE), 'utf8')));
  } catch (error) {
    throw new IndexCorruptError(`${LEXICAL_FILE} of index ${version} is unreadable (${(error as Error).message})`);
  }
}

/** Writes the data files of a version: passages, their vectors in the same order, the graph and the BM25 index. */
export async function writeIndexFiles(
  dir: string,
  passages: Passage[],
  vectors: ReadonlyMap<number, Float32Array>,
  graph: VectorIndex,
  lexical: Bm25Index,
  dimension: number,
): Promise<void> {
  const matrix = new Float32Array(passages.length * dimension);
  passages.forEach((passage, row) => matrix.set(vectors.get(passage.id)!, row * dimension));
  await writeFile(path.join(dir, PASSAGES_FILE), JSON.stringify(passages));
  await writeFile(path.join(dir, VECTORS_FILE), new Uint8Array(matrix.buffer));
  graph.write(path.join(dir, GRAPH_FILE));
  await writeFile(path.join(dir, LEXICAL_FILE), JSON.stringify(lexical));
}
