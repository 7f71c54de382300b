import { EmptyCorpusError, IndexCorruptError } from '../errors.js';
import type { SkippedFile, SourceDocument } from '../corpus/document.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import type { Embedder } from '../embeddings/embedder.js';
import { CHUNKING_VERSION, chunkDocument } from '../passages/chunk.js';
import type { Passage, PassageDraft } from '../passages/passage.js';
import { Bm25Index, type Bm25Params } from '../lexical/bm25.js';
import { CorpusIndex, GRAPH_FILE, readLexical, writeIndexFiles } from '../index-store/corpus-index.js';
import { newVersionId, type IndexDirectory } from '../index-store/index-directory.js';
import { incompatibility, INDEX_FORMAT, type DocumentEntry, type IndexRequirements } from '../index-store/manifest.js';
import { VectorIndex, type HnswParams } from '../index-store/vector-index.js';

export interface IndexSettings {
  corpusDir: string;
  maxFileBytes: number;
  /** Passage limits; `maxTokens` is also capped by what the model reads. */
  passageMaxTokens: number;
  passageMinTokens: number;
  hnsw: HnswParams;
  lexical: Bm25Params;
}

export interface IndexProgress {
  phase: 'scanning' | 'embedding' | 'writing';
  files: number;
  added: number;
  changed: number;
  removed: number;
  passagesToEmbed: number;
  passagesEmbedded: number;
}

export interface ReindexSummary {
  version: string;
  previousVersion: string | null;
  /** False when the corpus was unchanged and the index in service was kept as it is. */
  changed: boolean;
  /** Why everything was embedded again, when it was (no index yet, model changed, damaged index). */
  rebuildReason: string | null;
  documents: { total: number; added: string[]; changed: string[]; removed: string[]; unchanged: number };
  passages: { total: number; embedded: number; reused: number; duplicates: number };
  skipped: SkippedFile[];
  durationMs: number;
}

export interface UpdateOptions {
  directory: IndexDirectory;
  embedder: Embedder;
  settings: IndexSettings;
  /** The index in service, if any: reused instead of reading the same version from disk again. */
  current?: CorpusIndex | null;
  onProgress?: (progress: IndexProgress) => void;
  onWarning?: (message: string) => void;
}

const EMBEDDING_BATCH = 64;

export function requirementsFor(embedder: Embedder, settings: IndexSettings): IndexRequirements {
  return {
    format: INDEX_FORMAT,
    model: { fingerprint: embedder.fingerprint, dimension: embedder.dimension },
    chunking: {
      version: CHUNKING_VERSION,
      maxTokens: Math.min(settings.passageMaxTokens, embedder.maxTokens),
      minTokens: settings.passageMinTokens,
    },
    hnsw: { m: settings.hnsw.m, efConstruction: settings.hnsw.efConstruction },
    lexical: { k1: settings.lexical.k1, b: settings.lexical.b },
  };
}

interface Base {
  index: CorpusIndex;
  /** False when only search settings changed: passages and vectors are reused, graph and BM25 rebuilt. */
  searchReusable: boolean;
}

/** The index to build on: the one on disk, if it is intact and its vectors still fit the configuration. */
async function loadBase(
  options: UpdateOptions,
  required: IndexRequirements,
): Promise<{ base: Base | null; rebuildReason: string | null }> {
  const { directory, current, settings, onWarning } = options;
  const version = await directory.currentVersion();
  if (version === null) return { base: null, rebuildReason: 'there was no index yet' };
  let index: CorpusIndex;
  try {
    index = current?.version === version ? current : await CorpusIndex.load(directory, version, settings.hnsw.efSearch);
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    onWarning?.(`The index on disk is damaged (${error.message}); rebuilding it from the corpus.`);
    return { base: null, rebuildReason: `the index was damaged: ${error.message}` };
  }
  const mismatch = incompatibility(index.manifest, required);
  if (mismatch && !mismatch.vectorsReusable) return { base: null, rebuildReason: mismatch.reason };
  return { base: { index, searchReusable: mismatch === null }, rebuildReason: null };
}

async function embedDrafts(
  drafts: PassageDraft[],
  embedder: Embedder,
  report: (embedded: number) => void,
): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let i = 0; i < drafts.length; i += EMBEDDING_BATCH) {
    const batch = drafts.slice(i, i + EMBEDDING_BATCH).map((draft) => draft.text);
    vectors.push(...(await embedder.embedPassages(batch)));
    report(vectors.length);
  }
  return vectors;
}

/**
 * Brings the index up to date with the corpus folder: embeds only new and changed files, drops
 * removed ones, and writes a new version atomically. The index in service is never modified, so
 * it keeps answering until the caller swaps in the returned one; on any failure it stays as it was.
 */
export async function updateIndex(options: UpdateOptions): Promise<{ index: CorpusIndex; summary: ReindexSummary }> {
  const started = performance.now();
  const { directory, embedder, settings, onProgress, onWarning } = options;
  const required = requirementsFor(embedder, settings);
  const release = await directory.lock();
  try {
    const { base, rebuildReason } = await loadBase(options, required);
    const previous = base?.index.manifest.documents ?? {};
    const { documents, skipped } = await loadCorpus(settings.corpusDir, settings.maxFileBytes);
    // A file indexed before that reads as empty, or cannot be read, now is most likely being
    // rewritten: it keeps its last indexed version instead of dropping out of the index.
    const heldOver = new Set(skipped.filter((file) => file.transient && previous[file.source]).map((file) => file.source));
    for (const file of skipped) {
      onWarning?.(
        heldOver.has(file.source)
          ? `${file.source} was not indexed again: ${file.reason}; its previously indexed version is kept.`
          : `Skipped ${file.source}: ${file.reason}.`,
      );
    }
    const present = new Set([...documents.map((document) => document.source), ...heldOver]);
    if (present.size === 0) {
      throw new EmptyCorpusError(
        `No indexable .txt or .md file in ${settings.corpusDir}; the index in service was kept.`,
      );
    }
    const added = documents.filter((document) => !previous[document.source]).map((d) => d.source);
    const changed = documents.filter((d) => previous[d.source] && previous[d.source]!.hash !== d.hash).map((d) => d.source);
    const removed = Object.keys(previous).filter((source) => !present.has(source));
    const toEmbed = new Set([...added, ...changed]);
    const progress: IndexProgress = {
      phase: 'scanning',
      files: present.size,
      added: added.length,
      changed: changed.length,
      removed: removed.length,
      passagesToEmbed: 0,
      passagesEmbedded: 0,
    };
    onProgress?.({ ...progress });

    const summaryOf = (version: string, passages: { total: number; embedded: number; duplicates: number }) => ({
      version,
      previousVersion: base?.index.version ?? null,
      rebuildReason,
      documents: { total: present.size, added, changed, removed, unchanged: present.size - toEmbed.size },
      passages: { ...passages, reused: passages.total - passages.embedded },
      skipped,
      durationMs: Math.round(performance.now() - started),
    });

    if (base && base.searchReusable && toEmbed.size === 0 && removed.length === 0) {
      const { index } = base;
      const duplicates = Object.values(previous).reduce((sum, entry) => sum + entry.duplicates, 0);
      return {
        index,
        summary: { ...summaryOf(index.version, { total: index.passages.size, embedded: 0, duplicates }), changed: false },
      };
    }

    const documentsBySource = new Map(documents.map((document) => [document.source, document]));
    const chunking = { ...required.chunking, countTokens: (text: string) => embedder.countTokens(text) };
    const chunked = new Map(
      documents.filter((document) => toEmbed.has(document.source)).map((document) => [document.source, chunkDocument(document, chunking)]),
    );
    const drafts = [...chunked.values()].flatMap((document) => document.passages);
    progress.phase = 'embedding';
    progress.passagesToEmbed = drafts.length;
    onProgress?.({ ...progress });
    const newVectors = await embedDrafts(drafts, embedder, (embedded) => {
      progress.passagesEmbedded = embedded;
      onProgress?.({ ...progress });
    });

    let nextId = base?.index.manifest.nextId ?? 0;
    const vectors = base ? await CorpusIndex.readVectors(directory, base.index.manifest) : new Map<number, Float32Array>();
    const passages: Passage[] = [];
    const entries: Record<string, DocumentEntry> = {};
    let draftRow = 0;
    for (const source of [...present].sort()) {
      const fresh = chunked.get(source);
      if (!fresh) {
        const entry = previous[source]!;
        passages.push(...entry.passageIds.map((id) => base!.index.passages.get(id)!));
        entries[source] = entry;
        continue;
      }
      const documentPassages = fresh.passages.map((draft) => {
        const passage = { id: nextId++, ...draft };
        vectors.set(passage.id, newVectors[draftRow++]!);
        return passage;
      });
      passages.push(...documentPassages);
      entries[source] = entryFor(documentsBySource.get(source)!, documentPassages, fresh.duplicates);
    }

    progress.phase = 'writing';
    onProgress?.({ ...progress });
    const stale = staleIds(base, [...removed, ...changed]);
    const graph = await updatedGraph(directory, base, passages, vectors, stale, required, settings.hnsw);
    const lexical = await updatedLexical(directory, base, passages, stale, settings.lexical);
    const version = newVersionId();
    const manifest = await directory.commit(
      {
        version,
        builtAt: new Date().toISOString(),
        ...required,
        documents: entries,
        passageCount: passages.length,
        nextId,
      },
      (dir) => writeIndexFiles(dir, passages, vectors, graph, lexical, required.model.dimension),
    );
    // The new version is in service; failing to tidy up after it must not fail the build.
    await directory.removeStaleVersions().catch((error: unknown) => {
      onWarning?.(`Could not remove earlier index versions (${(error as Error).message}); the next build tries again.`);
    });
    const duplicates = Object.values(entries).reduce((sum, entry) => sum + entry.duplicates, 0);
    return {
      index: new CorpusIndex(manifest, passages, graph, lexical),
      summary: { ...summaryOf(version, { total: passages.length, embedded: drafts.length, duplicates }), changed: true },
    };
  } finally {
    await release();
  }
}

function entryFor(document: SourceDocument, passages: Passage[], duplicates: number): DocumentEntry {
  return {
    hash: document.hash,
    title: document.title,
    url: document.url,
    bytes: document.bytes,
    passageIds: passages.map((passage) => passage.id),
    duplicates,
  };
}

function staleIds(base: Base | null, sources: string[]): number[] {
  return sources.flatMap((source) => base?.index.manifest.documents[source]?.passageIds ?? []);
}

/**
 * The search structures for the new passages: copies of the base's, read from its files so the
 * index in service is never touched, with stale passages removed and new ones added (cheap at
 * any scale); built afresh when there is no base or its settings differ.
 */
async function updatedGraph(
  directory: IndexDirectory,
  base: Base | null,
  passages: Passage[],
  vectors: ReadonlyMap<number, Float32Array>,
  stale: number[],
  required: IndexRequirements,
  params: HnswParams,
): Promise<VectorIndex> {
  if (!base?.searchReusable) {
    const graph = VectorIndex.create(required.model.dimension, passages.length, params);
    for (const passage of passages) graph.add(passage.id, vectors.get(passage.id)!);
    return graph;
  }
  const { index } = base;
  const graph = VectorIndex.read(
    directory.versionPath(index.version, GRAPH_FILE),
    required.model.dimension,
    index.passages.keys(),
    params.efSearch,
  );
  for (const id of stale) graph.remove(id);
  for (const passage of passages) if (!index.passages.has(passage.id)) graph.add(passage.id, vectors.get(passage.id)!);
  return graph;
}

async function updatedLexical(
  directory: IndexDirectory,
  base: Base | null,
  passages: Passage[],
  stale: number[],
  params: Bm25Params,
): Promise<Bm25Index> {
  if (!base?.searchReusable) {
    const lexical = new Bm25Index(params);
    for (const passage of passages) lexical.add(passage.id, passage.text);
    return lexical;
  }
  const lexical = await readLexical(directory, base.index.version);
  for (const id of stale) lexical.remove(id);
  for (const passage of passages) if (!base.index.passages.has(passage.id)) lexical.add(passage.id, passage.text);
  return lexical;
}
