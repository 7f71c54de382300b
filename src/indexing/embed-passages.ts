import type { SourceDocument } from '../corpus/document.js';
import type { Embedder } from '../embeddings/embedder.js';
import type { ChunkingSettings } from '../index-store/manifest.js';
import { chunkDocument, type ChunkedDocument } from '../passages/chunk.js';

const EMBEDDING_BATCH = 64;

export interface EmbeddedDocuments {
  chunked: Map<string, ChunkedDocument>;
  /** One vector per passage of `chunked`, in its order. */
  vectors: Float32Array[];
}

/** Chunks `documents` into passages and embeds them in batches, reporting the count embedded so far. */
export async function embedDocuments(
  documents: SourceDocument[],
  chunking: ChunkingSettings,
  embedder: Embedder,
  onStart: (passages: number) => void,
  onBatch: (embedded: number) => void,
): Promise<EmbeddedDocuments> {
  const options = { ...chunking, countTokens: (text: string) => embedder.countTokens(text) };
  const chunked = new Map(documents.map((document) => [document.source, chunkDocument(document, options)]));
  const texts = [...chunked.values()].flatMap((document) => document.passages.map((passage) => passage.text));
  onStart(texts.length);
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += EMBEDDING_BATCH) {
    vectors.push(...(await embedder.embedPassages(texts.slice(i, i + EMBEDDING_BATCH))));
    onBatch(vectors.length);
  }
  return { chunked, vectors };
}
