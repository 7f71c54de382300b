import path from 'node:path';
import { readModelSettings, type ModelSettings } from '../embeddings/model-settings.js';
import type { IndexSettings } from '../indexing/index-types.js';
import { DEFAULT_BM25_PARAMS } from '../lexical/bm25.js';
import type { RetrievalSettings } from '../retrieval/retriever.js';
import { RETRIEVAL_MODES } from '../retrieval/types.js';
import { readBoolean, readChoice, readNumber, readOptionalNumber, readOptionalString, readString, type Env } from '../config/env.js';
import { ConfigError } from '../errors.js';

/** Everything the engine needs, read from the environment (see `.env.example` for each setting). */
export interface EngineSettings {
  indexDir: string;
  /** Where the versions in service are kept: the index folder, or a PostgreSQL database shared by every process. */
  backend: { kind: 'files' } | { kind: 'postgres'; url: string; poolSize: number };
  model: ModelSettings;
  index: IndexSettings;
  retrieval: RetrievalSettings;
}

export function readEngineSettings(env: Env = process.env, baseDir = process.cwd()): EngineSettings {
  return {
    indexDir: path.resolve(baseDir, readString(env, 'INDEX_DIR', 'embeddings')),
    backend: readBackend(env),
    model: readModelSettings(env, baseDir),
    index: {
      corpusDir: path.resolve(baseDir, readString(env, 'CORPUS_DIR', 'seeds')),
      maxFileBytes: readNumber(env, 'MAX_FILE_BYTES', 5 * 1024 * 1024, { min: 1, integer: true }),
      passageMaxTokens: readNumber(env, 'PASSAGE_MAX_TOKENS', 256, { min: 16, max: 8192, integer: true }),
      passageMinTokens: readNumber(env, 'PASSAGE_MIN_TOKENS', 36, { min: 1, max: 8192, integer: true }),
      hnsw: {
        m: readNumber(env, 'HNSW_M', 16, { min: 2, max: 128, integer: true }),
        efConstruction: readNumber(env, 'HNSW_EF_CONSTRUCTION', 200, { min: 8, max: 4096, integer: true }),
        efSearch: readNumber(env, 'HNSW_EF_SEARCH', 128, { min: 1, max: 4096, integer: true }),
      },
      lexical: {
        k1: readNumber(env, 'BM25_K1', DEFAULT_BM25_PARAMS.k1, { min: 0, max: 10 }),
        b: readNumber(env, 'BM25_B', DEFAULT_BM25_PARAMS.b, { min: 0, max: 1 }),
      },
    },
    retrieval: {
      mode: readChoice(env, 'RETRIEVAL_MODE', RETRIEVAL_MODES, 'hybrid'),
      candidates: readNumber(env, 'RETRIEVAL_CANDIDATES', 50, { min: 1, max: 1000, integer: true }),
      lexicalWeight: readNumber(env, 'HYBRID_LEXICAL_WEIGHT', 0.5, { min: 0, max: 1 }),
      confidenceDenseWeight: readNumber(env, 'CONFIDENCE_DENSE_WEIGHT', 0.5, { min: 0, max: 1 }),
      minConfidence: {
        // Unset: calibrated on each index (the model's similarity scale varies); lexical coverage has no model in it.
        dense: readOptionalNumber(env, 'MIN_CONFIDENCE_DENSE', { min: -1, max: 1 }),
        lexical: readNumber(env, 'MIN_CONFIDENCE_LEXICAL', 0.2, { min: 0, max: 1 }),
        hybrid: readOptionalNumber(env, 'MIN_CONFIDENCE_HYBRID', { min: -1, max: 1 }),
      },
      quoteMaxChars: readNumber(env, 'QUOTE_MAX_CHARS', 450, { min: 80, max: 2000, integer: true }),
      maxQuestionChars: readNumber(env, 'MAX_QUESTION_CHARS', 1000, { min: 10, max: 100_000, integer: true }),
      defaultResults: readNumber(env, 'DEFAULT_RESULTS', 3, { min: 1, max: 25, integer: true }),
      queryCacheSize: readNumber(env, 'QUERY_CACHE_SIZE', 256, { min: 0, max: 100_000, integer: true }),
      bridgeWeight: readNumber(env, 'BRIDGE_WEIGHT', 0.5, { min: 0, max: 1 }),
      declineUnmentioned: readBoolean(env, 'DECLINE_UNMENTIONED', true),
      // Unset: the index's document distinctness (retriever.ts).
      documentWeight: readOptionalNumber(env, 'HYBRID_DOCUMENT_WEIGHT', { min: 0, max: 1 }),
      minScoreRatio: readNumber(env, 'MIN_SCORE_RATIO', 0.5, { min: 0, max: 1 }),
    },
  };
}

const BACKENDS = ['files', 'postgres'] as const;

function readBackend(env: Env): EngineSettings['backend'] {
  const kind = readChoice(env, 'INDEX_BACKEND', BACKENDS, 'files');
  if (kind === 'files') return { kind };
  const url = readOptionalString(env, 'DATABASE_URL');
  if (url === undefined) {
    throw new ConfigError('DATABASE_URL', 'INDEX_BACKEND=postgres needs DATABASE_URL, the PostgreSQL server to keep the index in (postgres://user:password@host:5432/database).');
  }
  return { kind, url, poolSize: readNumber(env, 'DATABASE_POOL_SIZE', 4, { min: 1, max: 100, integer: true }) };
}
