import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readBoolean, readChoice, readNumber, readString, type Env } from '../config/env.js';
import { ConfigError } from '../errors.js';

export type Pooling = 'mean' | 'cls' | 'none';

export interface ModelSettings {
  /** A Hugging Face model id, or a local model folder. */
  model: string;
  /** Set when `model` names a local folder: load from disk, never from the hub. */
  localPath: string | null;
  /** No remote fetch at all: hub ids must already be in the cache. */
  offline: boolean;
  cacheDir: string;
  /** Where hub models are downloaded from: the Hugging Face hub, or a mirror of it. */
  hubUrl: string;
  pooling: Pooling;
  normalize: boolean;
  queryPrefix: string;
  passagePrefix: string;
  /** Use the int8 ONNX weights (about twice as fast on CPU, near-identical vectors). */
  quantized: boolean;
  batchSize: number;
}

/**
 * The model shipped in `models/use-lite/`, used when `EMBEDDING_MODEL` is unset: a fresh clone
 * answers with no network, and what the tests calibrate is what a new user runs. A hub model
 * (e.g. Xenova/bge-small-en-v1.5) is the documented upgrade; there is deliberately no silent
 * fallback between the two, because each switch of model would rebuild the index.
 */
export const BUNDLED_MODEL = {
  name: 'bundled use-lite',
  dir: fileURLToPath(new URL('../../models/use-lite', import.meta.url)),
};

/** The better model to suggest where the hub can be reached. */
export const RECOMMENDED_HUB_MODEL = 'Xenova/bge-small-en-v1.5';

interface ModelPreset {
  pooling: Pooling;
  queryPrefix?: string;
  passagePrefix?: string;
}

// What each model family was trained with; a wrong pooling or a missing prefix silently costs accuracy.
const PRESETS: Array<[RegExp, ModelPreset]> = [
  [/use-lite|universal-sentence-encoder/i, { pooling: 'none' }],
  [/bge-.*-en/i, { pooling: 'cls', queryPrefix: 'Represent this sentence for searching relevant passages: ' }],
  [/e5-/i, { pooling: 'mean', queryPrefix: 'query: ', passagePrefix: 'passage: ' }],
  [/nomic-embed/i, { pooling: 'mean', queryPrefix: 'search_query: ', passagePrefix: 'search_document: ' }],
];

function presetFor(model: string): ModelPreset {
  return PRESETS.find(([pattern]) => pattern.test(model))?.[1] ?? { pooling: 'mean' };
}

/** A local folder is named by a path (`./x`, `../x`, `/x`) or is any existing folder. */
function localPathOf(model: string, baseDir: string): string | null {
  const looksLikePath = /^(?:\.{1,2}[\\/]|\/|[A-Za-z]:[\\/])/.test(model);
  const resolved = path.resolve(baseDir, model);
  return looksLikePath || existsSync(resolved) ? resolved : null;
}

/** `EMBEDDING_HUB_URL`, ending in a slash as transformers.js joins it with the model path. */
function readHubUrl(env: Env): string {
  const value = readString(env, 'EMBEDDING_HUB_URL', 'https://huggingface.co/');
  if (!/^https?:\/\/\S+$/.test(value)) {
    throw new ConfigError('EMBEDDING_HUB_URL', `EMBEDDING_HUB_URL must be an http(s) URL, such as https://huggingface.co/; it is "${value}".`);
  }
  return value.endsWith('/') ? value : `${value}/`;
}

/**
 * A text prefix setting. Empty or unset means the model family's own, as every empty setting
 * means its default (an uncommented `EMBEDDING_QUERY_PREFIX=` must not silently drop bge's
 * instruction); `none` means no prefix. Not trimmed: a trailing space is part of what the
 * model was trained on.
 */
function readPrefix(env: Env, name: string, preset: string | undefined): string {
  const value = env[name];
  if (value === undefined || value === '') return preset ?? '';
  return value === 'none' ? '' : value;
}

export function readModelSettings(env: Env, baseDir = process.cwd()): ModelSettings {
  const model = readString(env, 'EMBEDDING_MODEL', BUNDLED_MODEL.name);
  const preset = presetFor(model);
  const quantized = readBoolean(env, 'EMBEDDING_QUANTIZED', true);
  if (model === BUNDLED_MODEL.name && !quantized) {
    throw new ConfigError(
      'EMBEDDING_QUANTIZED',
      'The bundled model ships only its int8 weights: unset EMBEDDING_QUANTIZED, or set EMBEDDING_MODEL to a model folder or hub id that has onnx/model.onnx.',
    );
  }
  return {
    model,
    localPath: model === BUNDLED_MODEL.name ? BUNDLED_MODEL.dir : localPathOf(model, baseDir),
    offline: readBoolean(env, 'EMBEDDING_OFFLINE', false),
    cacheDir: path.resolve(baseDir, readString(env, 'EMBEDDING_CACHE_DIR', '.cache/models')),
    hubUrl: readHubUrl(env),
    pooling: readChoice(env, 'EMBEDDING_POOLING', ['mean', 'cls', 'none'] as const, preset.pooling),
    normalize: readBoolean(env, 'EMBEDDING_NORMALIZE', true),
    queryPrefix: readPrefix(env, 'EMBEDDING_QUERY_PREFIX', preset.queryPrefix),
    passagePrefix: readPrefix(env, 'EMBEDDING_PASSAGE_PREFIX', preset.passagePrefix),
    quantized,
    batchSize: readNumber(env, 'EMBEDDING_BATCH_SIZE', 32, { min: 1, max: 1024, integer: true }),
  };
}
