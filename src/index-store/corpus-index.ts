import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IndexCorruptError } from '../errors.js';
import { Bm25Index } from '../lexical/bm25.js';
import type { Passage } from '../passages/passage.js';
import type { IndexDirectory } from './index-directory.js';
import type { IndexManifest } from './manifest.js';
import { gatherInMemory, phraseInMemory } from './in-memory-evidence.js';
import type { CandidateEvidence, CandidateRequest, SearchIndex, TermStatistics } from './search-index.js';
import { deserializeInt8, quantizeAll, serializeInt8, type Int8Vector } from './int8-vectors.js';
import { VectorIndex } from './vector-index.js';

export const PASSAGES_FILE = 'passages.json';
export const VECTORS_FILE = 'vectors.f32';
export const GRAPH_FILE = 'hnsw.bin';
export const LEXICAL_FILE = 'lexical.json';
/** The vectors in 8 bits, for scoring candidates; versions written before it existed lack it (see `readQuantized`). */
export const QUANTIZED_FILE = 'vectors.i8';

/** An index in memory: its manifest, its passages by id, and the vector graph and BM25 index over them. */
export class CorpusIndex implements SearchIndex {
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

  get terms(): TermStatistics {
    return this.lexical;
  }

  async hasPhrase(terms: readonly string[]): Promise<boolean> {
    return phraseInMemory({ lexical: this.lexical, textOf: (id) => this.passages.get(id)?.text }, terms);
  }

  async gather(request: CandidateRequest): Promise<CandidateEvidence> {
    return gatherInMemory(this, request);
  }

  async passage(id: number): Promise<Passage | undefined> {
    return this.passages.get(id);
  }

  /**
   * Loads a verified version. Damage found here (a file unreadable, missing from the manifest,
   * or disagreeing with it) is an `IndexCorruptError`, which callers answer with a rebuild.
   */
  static async load(directory: IndexDirectory, version: string, efSearch: number): Promise<CorpusIndex> {
    const manifest = await directory.readVerified(version);
    const missing = DATA_FILES.filter((file) => !manifest.files?.[file]);
    if (missing.length > 0) throw new IndexCorruptError(`the manifest of index ${version} does not list ${missing.join(', ')}`);
    let passages: Passage[];
    try {
      passages = JSON.parse(await readFile(directory.versionPath(version, PASSAGES_FILE), 'utf8')) as Passage[];
    } catch (error) {
      throw new IndexCorruptError(`${PASSAGES_FILE} of index ${version} is unreadable (${(error as Error).message})`);
    }
    const inconsistency = inconsistencyOf(manifest, passages);
    if (inconsistency) throw new IndexCorruptError(`index ${version} is inconsistent: ${inconsistency}`);
    const quantized = await readQuantized(directory, manifest, passages);
    let graph: VectorIndex;
    try {
      graph = VectorIndex.read(directory.versionPath(version, GRAPH_FILE), manifest.model.dimension, quantized, efSearch);
    } catch (error) {
      throw new IndexCorruptError(`${GRAPH_FILE} of index ${version} is unreadable (${(error as Error).message})`);
    }
    const lexical = await readLexical(directory, version);
    if (lexical.size !== passages.length || passages.some((passage) => !lexical.has(passage.id))) {
      throw new IndexCorruptError(`${LEXICAL_FILE} of index ${version} does not hold the passages its manifest lists`);
    }
    return new CorpusIndex(manifest, passages, graph, lexical);
  }

  /** The stored vectors of this version by passage id: what an incremental re-index reuses. */
  static async readVectors(directory: IndexDirectory, manifest: IndexManifest): Promise<Map<number, Float32Array>> {
    const passages = JSON.parse(await readFile(directory.versionPath(manifest.version, PASSAGES_FILE), 'utf8')) as Passage[];
    return readVectorRows(directory, manifest, passages);
  }
}

/**
 * The 8-bit vectors of a version. A version written before they were stored has only the float
 * vectors, and is quantized here instead: slower to load (about 450 ms at 100k passages) until
 * the next re-index writes the file, but served as it is rather than rebuilt.
 */
async function readQuantized(directory: IndexDirectory, manifest: IndexManifest, passages: readonly Passage[]): Promise<Map<number, Int8Vector>> {
  const { dimension } = manifest.model;
  if (!manifest.files?.[QUANTIZED_FILE]) {
    return quantizeAll([...(await readVectorRows(directory, manifest, passages))], dimension);
  }
  const bytes = await readFile(directory.versionPath(manifest.version, QUANTIZED_FILE)).catch((error: Error) => {
    throw new IndexCorruptError(`${QUANTIZED_FILE} of index ${manifest.version} is unreadable (${error.message})`);
  });
  const quantized = deserializeInt8(bytes, passages.map((passage) => passage.id), dimension);
  if (quantized === null) throw new IndexCorruptError(`${QUANTIZED_FILE} of index ${manifest.version} does not match its passages`);
  return quantized;
}

/** The vectors file of a version, one row per passage in the order of `passages`, as views of one buffer. */
async function readVectorRows(directory: IndexDirectory, manifest: IndexManifest, passages: readonly Passage[]): Promise<Map<number, Float32Array>> {
  const bytes = await readFile(directory.versionPath(manifest.version, VECTORS_FILE)).catch((error: Error) => {
    throw new IndexCorruptError(`${VECTORS_FILE} of index ${manifest.version} is unreadable (${error.message})`);
  });
  const { dimension } = manifest.model;
  if (bytes.byteLength !== passages.length * dimension * Float32Array.BYTES_PER_ELEMENT) {
    throw new IndexCorruptError(`${VECTORS_FILE} of index ${manifest.version} does not match its passages`);
  }
  // A Float32Array view needs 4-byte alignment, which a Buffer's offset does not promise: one copy.
  const all = new Float32Array(new Uint8Array(bytes).buffer);
  return new Map(passages.map((passage, row) => [passage.id, all.subarray(row * dimension, (row + 1) * dimension)]));
}

const DATA_FILES = [PASSAGES_FILE, VECTORS_FILE, GRAPH_FILE, LEXICAL_FILE];

/**
 * What makes the passages disagree with the manifest, or null. The checksums catch damage to
 * the bytes; this catches a version whose parts were never written together (and keeps an
 * incremental update from building on passages that are not there).
 */
function inconsistencyOf(manifest: IndexManifest, passages: unknown): string | null {
  if (!Array.isArray(passages) || passages.length !== manifest.passageCount) {
    return `${PASSAGES_FILE} does not hold the ${manifest.passageCount} passages the manifest counts`;
  }
  if (typeof manifest.documents !== 'object' || manifest.documents === null) return 'the manifest lists no documents';
  const byId = new Map<number, Passage>();
  for (const passage of passages as Passage[]) {
    if (!Number.isSafeInteger(passage?.id) || passage.id < 0 || passage.id >= manifest.nextId || byId.has(passage.id)) {
      return `passage id ${String(passage?.id)} is invalid or repeated`;
    }
    byId.set(passage.id, passage);
  }
  let listed = 0;
  for (const [source, entry] of Object.entries(manifest.documents)) {
    if (!Array.isArray(entry?.passageIds)) return `the manifest entry of ${source} lists no passages`;
    for (const id of entry.passageIds) {
      if (byId.get(id)?.source !== source) return `the manifest lists passage ${id} for ${source}, which is not there`;
    }
    listed += entry.passageIds.length;
  }
  return listed === passages.length ? null : `the manifest lists ${listed} passages for its documents, not ${passages.length}`;
}

/** A private copy of the BM25 index of `version`, read from its file. */
export async function readLexical(directory: IndexDirectory, version: string): Promise<Bm25Index> {
  try {
    return Bm25Index.fromJSON(JSON.parse(await readFile(directory.versionPath(version, LEXICAL_FILE), 'utf8')));
  } catch (error) {
    throw new IndexCorruptError(`${LEXICAL_FILE} of index ${version} is unreadable (${(error as Error).message})`);
  }
}

/** Writes the data files of a version: passages, their vectors in the same order (float and 8-bit), the graph and the BM25 index. */
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
  await writeFile(path.join(dir, QUANTIZED_FILE), serializeInt8(passages.map((passage) => graph.quantized(passage.id)), dimension));
  graph.write(path.join(dir, GRAPH_FILE));
  await writeFile(path.join(dir, LEXICAL_FILE), JSON.stringify(lexical));
}
