import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Env } from '../../src/config/env.js';
import { readEngineSettings, type EngineSettings } from '../../src/config/settings.js';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { readModelSettings } from '../../src/embeddings/model-settings.js';
import { TransformersEmbedder } from '../../src/embeddings/transformers-embedder.js';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
export const SEEDS_DIR = path.join(PROJECT_ROOT, 'seeds');
/** Tests run offline against the shared local model unless CI or a developer names another. */
export const TEST_MODEL = process.env.EMBEDDING_MODEL ?? '../shared/models/use-lite';

export interface Workspace {
  root: string;
  corpusDir: string;
  indexDir: string;
  settings(overrides?: Env): EngineSettings;
  write(source: string, content: string | Uint8Array): Promise<void>;
  remove(source: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** A private corpus folder (the seed articles unless told otherwise) and index folder under the OS temp dir. */
export async function createWorkspace({ seeds = true }: { seeds?: boolean } = {}): Promise<Workspace> {
  const root = await mkdtemp(path.join(tmpdir(), 'corpus-bot-'));
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'embeddings');
  if (seeds) await cp(SEEDS_DIR, corpusDir, { recursive: true });
  else await mkdir(corpusDir);
  return {
    root,
    corpusDir,
    indexDir,
    settings: (overrides = {}) =>
      readEngineSettings(
        { EMBEDDING_MODEL: TEST_MODEL, CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, ...overrides },
        PROJECT_ROOT,
      ),
    write: async (source, content) => {
      await mkdir(path.dirname(path.join(corpusDir, source)), { recursive: true });
      await writeFile(path.join(corpusDir, source), content);
    },
    remove: (source) => rm(path.join(corpusDir, source)),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

let sharedEmbedder: Promise<TransformersEmbedder> | undefined;

/** The test model, loaded once per test file. */
export function testEmbedder(): Promise<TransformersEmbedder> {
  sharedEmbedder ??= TransformersEmbedder.load(readModelSettings({ EMBEDDING_MODEL: TEST_MODEL }, PROJECT_ROOT));
  return sharedEmbedder;
}

/** Wraps an embedder to count what it is asked to embed, or to fail on demand. */
export class CountingEmbedder implements Embedder {
  passagesEmbedded = 0;
  queriesEmbedded = 0;
  /** Throws once this many passages have been embedded (simulates a crash mid-build). */
  failAfterPassages = Infinity;

  constructor(
    private readonly inner: Embedder,
    readonly fingerprint = inner.fingerprint,
  ) {}

  get dimension(): number {
    return this.inner.dimension;
  }

  get maxTokens(): number {
    return this.inner.maxTokens;
  }

  countTokens(text: string): number {
    return this.inner.countTokens(text);
  }

  async embedPassages(texts: string[]): Promise<Float32Array[]> {
    if (this.passagesEmbedded + texts.length > this.failAfterPassages) throw new Error('embedding failed (simulated)');
    this.passagesEmbedded += texts.length;
    return this.inner.embedPassages(texts);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    this.queriesEmbedded += 1;
    return this.inner.embedQuery(text);
  }
}
