import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../src/errors.js';
import { BUNDLED_MODEL, readModelSettings } from '../src/embeddings/model-settings.js';
import { TransformersEmbedder } from '../src/embeddings/transformers-embedder.js';
import { PROJECT_ROOT, TEST_MODEL } from './helpers/workspace.js';

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'corpus-bot-models-'));
});
afterAll(() => rm(cacheDir, { recursive: true, force: true }));

/** What a model folder's own files declare: vector size and positions (config.json, tokenizer_config.json). */
async function declaredShape(dir: string): Promise<{ dimension: number; positions: number }> {
  const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8')) as { hidden_size: number; max_position_embeddings: number };
  const tokenizer = JSON.parse(await readFile(path.join(dir, 'tokenizer_config.json'), 'utf8')) as { model_max_length?: number };
  return { dimension: config.hidden_size, positions: Math.min(config.max_position_embeddings, tokenizer.model_max_length ?? Infinity) };
}

function cosine(a: Float32Array, b: Float32Array): number {
  return a.reduce((sum, value, i) => sum + value * b[i]!, 0);
}

describe('choosing the embedding model', () => {
  it('applies the model family presets, and lets settings override them', () => {
    expect(readModelSettings({ EMBEDDING_MODEL: 'Xenova/bge-small-en-v1.5' })).toMatchObject({
      pooling: 'cls',
      queryPrefix: 'Represent this sentence for searching relevant passages: ',
      localPath: null,
    });
    expect(readModelSettings({ EMBEDDING_MODEL: 'Xenova/all-MiniLM-L6-v2' })).toMatchObject({ pooling: 'mean', queryPrefix: '' });
    expect(readModelSettings({ EMBEDDING_MODEL: 'Xenova/e5-small-v2' })).toMatchObject({ queryPrefix: 'query: ', passagePrefix: 'passage: ' });
    expect(readModelSettings({ EMBEDDING_MODEL: 'Xenova/bge-small-en-v1.5', EMBEDDING_POOLING: 'mean', EMBEDDING_QUERY_PREFIX: 'none' })).toMatchObject({
      pooling: 'mean',
      queryPrefix: '',
    });
    // An uncommented, empty setting means the default, as every other empty setting does.
    expect(readModelSettings({ EMBEDDING_MODEL: 'Xenova/bge-small-en-v1.5', EMBEDDING_QUERY_PREFIX: '' }).queryPrefix).toBe(
      'Represent this sentence for searching relevant passages: ',
    );
    expect(readModelSettings({ EMBEDDING_MODEL: 'Xenova/e5-small-v2', EMBEDDING_PASSAGE_PREFIX: 'doc: ' }).passagePrefix).toBe('doc: ');
    expect(() => readModelSettings({ EMBEDDING_POOLING: 'max' })).toThrow(/EMBEDDING_POOLING must be one of mean, cls, none/);
    expect(readModelSettings({ EMBEDDING_MODEL: '../shared/models/use-lite' }, PROJECT_ROOT).localPath).toBe(
      path.resolve(PROJECT_ROOT, '../shared/models/use-lite'),
    );
  });

  it('loads a local model folder, with its size and token limit read from the model, and embeds as unit vectors', async () => {
    const settings = readModelSettings({ EMBEDDING_MODEL: TEST_MODEL }, PROJECT_ROOT);
    const embedder = await TransformersEmbedder.load(settings);
    const declared = await declaredShape(settings.localPath!);
    expect(embedder.dimension).toBe(declared.dimension);
    // What the model reads, less the two special tokens around every text.
    expect(embedder.maxTokens).toBe(declared.positions - 2);
    const [passage, unrelated] = await embedder.embedPassages([
      'Microsoft identified four groups engaged in malign activities on Iran’s behalf.',
      'The recipe calls for two cups of flour and a pinch of salt.',
    ]);
    const question = await embedder.embedQuery('Which groups did Microsoft identify?');
    expect(cosine(question, question)).toBeCloseTo(1, 4);
    expect(cosine(question, passage!)).toBeGreaterThan(cosine(question, unrelated!));
  });

  it('loads a hub model from the cache with no network when offline', async () => {
    // A hub download lands in <cache>/<org>/<name>/; put the test model there under a hub-style id.
    await cp(readModelSettings({ EMBEDDING_MODEL: TEST_MODEL }, PROJECT_ROOT).localPath!, path.join(cacheDir, 'someorg', 'use-lite'), { recursive: true });
    const settings = readModelSettings({ EMBEDDING_MODEL: 'someorg/use-lite', EMBEDDING_OFFLINE: 'true', EMBEDDING_CACHE_DIR: cacheDir });
    expect(settings.localPath).toBeNull();
    const embedder = await TransformersEmbedder.load(settings);
    expect(embedder.dimension).toBe((await declaredShape(path.join(cacheDir, 'someorg', 'use-lite'))).dimension);
  });

  it('says which setting to change when a model cannot be found', async () => {
    const offline = readModelSettings({ EMBEDDING_MODEL: 'nobody/no-such-model', EMBEDDING_OFFLINE: 'true', EMBEDDING_CACHE_DIR: cacheDir });
    const error = await TransformersEmbedder.load(offline).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/"nobody\/no-such-model".*EMBEDDING_OFFLINE is on.*Unset EMBEDDING_MODEL.*turn EMBEDDING_OFFLINE off/s);

    const missingFolder = readModelSettings({ EMBEDDING_MODEL: './models/missing' }, PROJECT_ROOT);
    const missing = await TransformersEmbedder.load(missingFolder).catch((caught: unknown) => caught);
    expect((missing as Error).message).toMatch(/models\/missing: no such folder.*Unset EMBEDDING_MODEL to use the bundled model/s);
    // The library's own wording for a local-only lookup is no help to whoever has to fix it.
    expect((missing as Error).message).not.toMatch(/local_files_only/);
  });
});

describe('the bundled default model', () => {
  it('is what an unset EMBEDDING_MODEL loads, from the repository, with its size read from the model', async () => {
    const settings = readModelSettings({});
    expect(settings.localPath).toBe(path.join(PROJECT_ROOT, 'models', 'use-lite'));
    expect(settings.pooling).toBe('none');
    const embedder = await TransformersEmbedder.load(settings);
    expect(embedder.dimension).toBe((await declaredShape(BUNDLED_MODEL.dir)).dimension);
    expect(embedder.fingerprint).toContain(BUNDLED_MODEL.name);
    // Only the int8 file is shipped: asking for the fp32 one is refused before any load.
    expect(() => readModelSettings({ EMBEDDING_QUANTIZED: 'false' })).toThrow(/bundled model ships only its int8 weights/);
  });

  it('refuses a damaged model file by name instead of embedding with it', async () => {
    const copy = path.join(cacheDir, 'damaged-use-lite');
    await cp(BUNDLED_MODEL.dir, copy, { recursive: true });
    const config = path.join(copy, 'config.json');
    await writeFile(config, (await readFile(config, 'utf8')).replace('"hidden_act": "relu"', '"hidden_act": "gelu"'));
    const error = await TransformersEmbedder.load(readModelSettings({ EMBEDDING_MODEL: copy })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/damaged-use-lite\/config\.json is damaged: its sha256 is [0-9a-f]{64}, SHA256SUMS expects c36b4eec/);

    await cp(path.join(BUNDLED_MODEL.dir, 'config.json'), config);
    await rm(path.join(copy, 'tokenizer.json'));
    await expect(TransformersEmbedder.load(readModelSettings({ EMBEDDING_MODEL: copy }))).rejects.toThrow(/tokenizer\.json is missing/);
  });
});
