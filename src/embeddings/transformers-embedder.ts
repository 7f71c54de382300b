import { existsSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline, type Tensor } from '@xenova/transformers';
import { ModelLoadError } from '../errors.js';
import type { Embedder } from './embedder.js';
import { verifyModelFolder } from './model-checksums.js';
import { RECOMMENDED_HUB_MODEL, type ModelSettings } from './model-settings.js';

interface TokenizerLike {
  encode(text: string, pair?: null, options?: { add_special_tokens?: boolean }): number[];
  model_max_length?: number;
}

/** How much of one model file has been read so far. */
export interface ModelFileProgress {
  model: string;
  file: string;
  loaded: number;
  total: number;
}

// Tokens the model adds around every text ([CLS] … [SEP] or an end marker).
const SPECIAL_TOKEN_ALLOWANCE = 2;

function loadFailure(settings: ModelSettings, cause: unknown): ModelLoadError {
  if (cause instanceof ModelLoadError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  const where = settings.localPath
    ? existsSync(settings.localPath)
      ? `the local folder ${settings.localPath} (${detail})`
      : `${settings.localPath}: no such folder`
    : settings.offline
      ? `the model cache ${settings.cacheDir} (EMBEDDING_OFFLINE is on, so nothing is downloaded): ${detail}`
      : `${settings.hubUrl === 'https://huggingface.co/' ? 'the Hugging Face hub' : settings.hubUrl}: ${detail}`;
  // Never suggest the very model that just failed.
  const example = settings.model === RECOMMENDED_HUB_MODEL ? '' : ` (e.g. ${RECOMMENDED_HUB_MODEL})`;
  return new ModelLoadError(
    `Could not load the embedding model "${settings.model}" from ${where}. ` +
      'Unset EMBEDDING_MODEL to use the bundled model (models/use-lite), or set it to a Hugging Face ' +
      `model id${example} or a local transformers.js model folder` +
      (settings.offline && !settings.localPath ? ', or turn EMBEDDING_OFFLINE off to download it.' : '.'),
  );
}

function configureLibrary(settings: ModelSettings): string {
  env.cacheDir = settings.cacheDir;
  env.allowLocalModels = true;
  if (settings.localPath) {
    env.localModelPath = `${path.dirname(settings.localPath)}${path.sep}`;
    env.allowRemoteModels = false;
    return path.basename(settings.localPath);
  }
  // A hub id is looked up only where hub downloads are kept (the cache), never in another folder
  // that happens to share its name; offline, that cache is all there is.
  env.localModelPath = `${settings.cacheDir}${path.sep}`;
  env.allowRemoteModels = !settings.offline;
  env.remoteHost = settings.hubUrl;
  return settings.model;
}

/** Scales `vector` in place to Euclidean length 1 (a zero vector stays zero). */
function toUnitLength(vector: Float32Array): Float32Array {
  let sumOfSquares = 0;
  for (const value of vector) sumOfSquares += value * value;
  const norm = Math.sqrt(sumOfSquares);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}

export class TransformersEmbedder implements Embedder {
  readonly fingerprint: string;
  readonly dimension: number;
  readonly maxTokens: number;

  private constructor(
    private readonly extractor: FeatureExtractionPipeline,
    private readonly settings: ModelSettings,
    dimension: number,
  ) {
    const { model, pooling, normalize, queryPrefix, passagePrefix, quantized } = settings;
    this.fingerprint = JSON.stringify({ model, pooling, normalize, queryPrefix, passagePrefix, quantized });
    this.dimension = dimension;
    const tokenizer = extractor.tokenizer as unknown as TokenizerLike;
    const configured = (extractor.model.config as { max_position_embeddings?: number }).max_position_embeddings;
    const limits = [tokenizer.model_max_length, configured].filter(
      (limit): limit is number => typeof limit === 'number' && limit > 0 && limit < 1e6,
    );
    this.maxTokens = (limits.length > 0 ? Math.min(...limits) : 512) - SPECIAL_TOKEN_ALLOWANCE;
  }

  /** Loads the model; `onFile` hears how far each of its files has been read (a hub download, mostly). */
  static async load(settings: ModelSettings, onFile?: (progress: ModelFileProgress) => void): Promise<TransformersEmbedder> {
    const modelName = configureLibrary(settings);
    let extractor: FeatureExtractionPipeline;
    try {
      if (settings.localPath) await verifyModelFolder(settings.localPath);
      const progress_callback = (event: { status: string; file?: string; loaded?: number; total?: number }) => {
        if (event.status === 'progress' && event.file && typeof event.loaded === 'number' && typeof event.total === 'number') {
          onFile?.({ model: settings.model, file: event.file, loaded: event.loaded, total: event.total });
        }
      };
      extractor = await pipeline('feature-extraction', modelName, { quantized: settings.quantized, progress_callback });
    } catch (error) {
      throw loadFailure(settings, error);
    }
    const probe = await TransformersEmbedder.run(extractor, settings, ['probe']);
    return new TransformersEmbedder(extractor, settings, probe[0]!.length);
  }

  private static async run(
    extractor: FeatureExtractionPipeline,
    settings: ModelSettings,
    texts: string[],
  ): Promise<Float32Array[]> {
    // Normalised here, not by the pipeline: its generic tensor code took 5% of a query's time.
    const output: Tensor = await extractor(texts, { pooling: settings.pooling, normalize: false });
    if (output.dims.length !== 2) {
      throw new ModelLoadError(
        `The model "${settings.model}" returns one vector per token (shape [${output.dims.join(', ')}]), ` +
          `not one per text: set EMBEDDING_POOLING to mean or cls (it is ${settings.pooling}).`,
      );
    }
    const dimension = output.dims[1]!;
    const data = output.data as Float32Array;
    return texts.map((_, i) => {
      const vector = data.slice(i * dimension, (i + 1) * dimension);
      return settings.normalize ? toUnitLength(vector) : vector;
    });
  }

  countTokens(text: string): number {
    const tokenizer = this.extractor.tokenizer as unknown as TokenizerLike;
    return tokenizer.encode(text, null, { add_special_tokens: false }).length;
  }

  async embedPassages(texts: string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.settings.batchSize) {
      const batch = texts.slice(i, i + this.settings.batchSize).map((text) => this.settings.passagePrefix + text);
      vectors.push(...(await TransformersEmbedder.run(this.extractor, this.settings, batch)));
    }
    return vectors;
  }

  /** Releases the model's native session (a worker that built an index frees it before it ends). */
  dispose(): Promise<void> {
    return this.extractor.dispose();
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await TransformersEmbedder.run(this.extractor, this.settings, [this.settings.queryPrefix + text]);
    return vector!;
  }
}
