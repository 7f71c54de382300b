import type { SourceDocument } from '../corpus/document.js';
import { Bm25Index, type Bm25Params } from '../lexical/bm25.js';
import { CorpusIndex, GRAPH_FILE, readLexical, writeIndexFiles } from '../index-store/corpus-index.js';
import { newVersionId, type IndexDirectory } from '../index-store/index-directory.js';
import type { DocumentEntry, IndexRequirements } from '../index-store/manifest.js';
import { VectorIndex, type HnswParams } from '../index-store/vector-index.js';
import type { Passage } from '../passages/passage.js';
import type { Base } from './base-index.js';
import { documentDistinctness } from './document-distinctness.js';
import type { EmbeddedDocuments } from './embed-passages.js';
import type { UpdatePlan } from './plan.js';

/** The passages and manifest entries of the new version: fresh ones for embedded files, the base's for the rest. */
interface Assembled {
  passages: Passage[];
  vectors: Map<number, Float32Array>;
  entries: Record<string, DocumentEntry>;
  nextId: number;
}

async function assemble(
  directory: IndexDirectory,
  base: Base | null,
  plan: UpdatePlan,
  documents: SourceDocument[],
  embedded: EmbeddedDocuments,
): Promise<Assembled> {
  const previous = base?.index.manifest.documents ?? {};
  const bySource = new Map(documents.map((document) => [document.source, document]));
  let nextId = base?.index.manifest.nextId ?? 0;
  const vectors = base ? await CorpusIndex.readVectors(directory, base.index.manifest) : new Map<number, Float32Array>();
  const passages: Passage[] = [];
  const entries: Record<string, DocumentEntry> = {};
  let row = 0;
  for (const source of plan.present) {
    const fresh = embedded.chunked.get(source);
    if (!fresh) {
      const entry = previous[source]!;
      passages.push(...entry.passageIds.map((id) => base!.index.passages.get(id)!));
      // Same bytes, but the title and link are derived anew, so a better rule reaches old files.
      const document = bySource.get(source);
      entries[source] = document ? { ...entry, title: document.title, url: document.url, extractor: document.extractor } : entry;
      continue;
    }
    const documentPassages = fresh.passages.map((draft) => {
      const passage = { id: nextId++, ...draft };
      vectors.set(passage.id, embedded.vectors[row++]!);
      return passage;
    });
    passages.push(...documentPassages);
    const document = bySource.get(source)!;
    entries[source] = {
      hash: document.hash,
      title: document.title,
      url: document.url,
      bytes: document.bytes,
      passageIds: documentPassages.map((passage) => passage.id),
      duplicates: fresh.duplicates,
      extractor: document.extractor,
    };
  }
  return { passages, vectors, entries, nextId };
}

/**
 * The search structures for the new passages: copies of the base's, read from its files so the
 * index in service is never touched, with stale passages removed and new ones added (cheap at
 * any scale); built afresh when there is no base or its settings differ.
 */
async function searchStructures(
  directory: IndexDirectory,
  base: Base | null,
  { passages, vectors }: Assembled,
  stale: number[],
  dimension: number,
  params: { hnsw: HnswParams; lexical: Bm25Params },
): Promise<{ graph: VectorIndex; lexical: Bm25Index }> {
  if (!base?.searchReusable) {
    const graph = VectorIndex.create(dimension, passages.length, params.hnsw);
    const lexical = new Bm25Index(params.lexical);
    for (const passage of passages) {
      graph.add(passage.id, vectors.get(passage.id)!);
      lexical.add(passage.id, passage.text);
    }
    return { graph, lexical };
  }
  const { index } = base;
  const graph = VectorIndex.read(
    directory.versionPath(index.version, GRAPH_FILE),
    dimension,
    index.vectors.quantizedVectors(),
    params.hnsw.efSearch,
  );
  const lexical = await readLexical(directory, index.version);
  for (const id of stale) {
    graph.remove(id);
    lexical.remove(id);
  }
  for (const passage of passages) {
    if (index.passages.has(passage.id)) continue;
    graph.add(passage.id, vectors.get(passage.id)!);
    lexical.add(passage.id, passage.text);
  }
  return { graph, lexical };
}

/** Writes the new version beside the base and puts it in service; returns it as an index in memory. */
export async function persistVersion(
  directory: IndexDirectory,
  base: Base | null,
  plan: UpdatePlan,
  documents: SourceDocument[],
  embedded: EmbeddedDocuments,
  required: IndexRequirements,
  params: { hnsw: HnswParams; lexical: Bm25Params },
): Promise<CorpusIndex> {
  const assembled = await assemble(directory, base, plan, documents, embedded);
  const stale = [...plan.removed, ...plan.changed].flatMap((source) => base?.index.manifest.documents[source]?.passageIds ?? []);
  const { graph, lexical } = await searchStructures(directory, base, assembled, stale, required.model.dimension, params);
  const { passages, vectors, entries, nextId } = assembled;
  const distinctness = documentDistinctness(
    Object.values(entries).map((entry) => entry.passageIds),
    (id) => vectors.get(id)!,
  );
  const manifest = await directory.commit(
    {
      version: newVersionId(),
      builtAt: new Date().toISOString(),
      ...required,
      documents: entries,
      passageCount: passages.length,
      documentDistinctness: distinctness,
      nextId,
    },
    (dir) => writeIndexFiles(dir, passages, vectors, graph, lexical, required.model.dimension),
  );
  return new CorpusIndex(manifest, passages, graph, lexical);
}
