import type { Bm25Params } from '../lexical/bm25.js';
import type { HnswParams } from './vector-index.js';

// 2: the manifest carries a checksum of itself.
export const INDEX_FORMAT = 2;

export interface DocumentEntry {
  /** sha256 of the file's bytes when it was indexed. */
  hash: string;
  title: string;
  url: string | null;
  bytes: number;
  passageIds: number[];
  /** Passages dropped as near-duplicates of others in the same file. */
  duplicates: number;
  /** The extraction that read the file (`formats.ts`); absent in indexes from before formats, which read every file as plain text. */
  extractor?: string;
}

export interface FileEntry {
  bytes: number;
  sha256: string;
}

export interface ChunkingSettings {
  version: number;
  maxTokens: number;
  minTokens: number;
}

/** Describes one persisted index: what built it, what it holds, and checksums to detect damage. */
export interface IndexManifest {
  format: number;
  version: string;
  builtAt: string;
  model: { fingerprint: string; dimension: number };
  chunking: ChunkingSettings;
  hnsw: Pick<HnswParams, 'm' | 'efConstruction'>;
  lexical: Bm25Params;
  documents: Record<string, DocumentEntry>;
  passageCount: number;
  /**
   * How far a document's passages stand apart from other documents' (`document-distinctness.ts`):
   * null when no document has two passages, absent in indexes built before it was measured.
   */
  documentDistinctness?: number | null;
  /** The next passage id to hand out: ids are never reused, so a stale reference cannot name another passage. */
  nextId: number;
  files: Record<string, FileEntry>;
}

/** What an index must match to be used as is (or reused in part) under the current configuration. */
export interface IndexRequirements {
  format: number;
  model: { fingerprint: string; dimension: number };
  chunking: ChunkingSettings;
  hnsw: Pick<HnswParams, 'm' | 'efConstruction'>;
  lexical: Bm25Params;
}

/**
 * Why an index cannot serve the current configuration, or null when it can. `vectorsReusable`
 * tells whether its passages and vectors are still right (only search structures' settings
 * differ, and those are rebuilt from the stored passages and vectors without embedding).
 */
export function incompatibility(
  manifest: IndexManifest,
  required: IndexRequirements,
): { reason: string; vectorsReusable: boolean } | null {
  if (manifest.format !== required.format) return { reason: 'the index format changed', vectorsReusable: false };
  if (manifest.model.fingerprint !== required.model.fingerprint || manifest.model.dimension !== required.model.dimension) {
    return { reason: 'the embedding model or its settings changed', vectorsReusable: false };
  }
  const { chunking } = manifest;
  if (
    chunking.version !== required.chunking.version ||
    chunking.maxTokens !== required.chunking.maxTokens ||
    chunking.minTokens !== required.chunking.minTokens
  ) {
    return { reason: 'the passage chunking changed', vectorsReusable: false };
  }
  if (manifest.hnsw.m !== required.hnsw.m || manifest.hnsw.efConstruction !== required.hnsw.efConstruction) {
    return { reason: 'the HNSW graph settings changed', vectorsReusable: true };
  }
  if (manifest.lexical.k1 !== required.lexical.k1 || manifest.lexical.b !== required.lexical.b) {
    return { reason: 'the BM25 settings changed', vectorsReusable: true };
  }
  return null;
}
