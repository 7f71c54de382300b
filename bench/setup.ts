import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Env } from '../src/config/env.js';
import { readEngineSettings, type EngineSettings } from '../src/engine/engine-settings.js';
import type { Embedder } from '../src/embeddings/embedder.js';
import { BUNDLED_MODEL, readModelSettings } from '../src/embeddings/model-settings.js';
import { TransformersEmbedder } from '../src/embeddings/transformers-embedder.js';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
export const SEEDS_DIR = path.join(PROJECT_ROOT, 'seeds');
/** Built corpora and indexes persist here between runs (git-ignored), so only the first run builds them. */
export const CACHE_ROOT = path.join(PROJECT_ROOT, '.cache', 'bench');
/** The bundled offline model unless EMBEDDING_MODEL names another. */
export const BENCH_MODEL = process.env.EMBEDDING_MODEL ?? BUNDLED_MODEL.name;
export const SCIFACT_DIR = path.resolve(PROJECT_ROOT, process.env.SCIFACT_DIR ?? '../shared/datasets/scifact');
export const SEED_QUESTIONS_FILE = path.resolve(PROJECT_ROOT, '../shared/eval/seeds-questions.jsonl');

/**
 * Engine settings for a benchmark corpus: the project's defaults (not the local .env, so runs on
 * different machines compare), the bench model, and the query cache off unless a measurement
 * wants it: a cache hit would otherwise stand in for the work being timed.
 */
export function benchSettings(corpusDir: string, indexDir: string, overrides: Env = {}): EngineSettings {
  return readEngineSettings(
    { EMBEDDING_MODEL: BENCH_MODEL, CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, QUERY_CACHE_SIZE: '0', ...overrides },
    PROJECT_ROOT,
  );
}

export function loadBenchEmbedder(): Promise<TransformersEmbedder> {
  return TransformersEmbedder.load(readModelSettings({ EMBEDDING_MODEL: BENCH_MODEL }, PROJECT_ROOT));
}

/** The cache folder for one model: passage counts and vectors depend on its tokenizer and weights. */
export function modelCacheDir(embedder: Embedder): string {
  const name = path.basename(BENCH_MODEL).replace(/[^\w.-]+/g, '_');
  const hash = createHash('sha256').update(embedder.fingerprint).digest('hex').slice(0, 8);
  return path.join(CACHE_ROOT, `${name}-${hash}`);
}
