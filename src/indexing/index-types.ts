import type { SkippedFile } from '../corpus/document.js';
import type { Embedder } from '../embeddings/embedder.js';
import { CHUNKING_VERSION } from '../passages/chunk.js';
import type { Bm25Params } from '../lexical/bm25.js';
import { INDEX_FORMAT, type IndexRequirements } from '../index-store/manifest.js';
import type { HnswParams } from '../index-store/vector-index.js';

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

/** What an index built now with `embedder` and `settings` must match. */
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
