import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Env } from '../../src/config/env.js';
import { readEngineSettings, type EngineSettings } from '../../src/engine/engine-settings.js';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { BUNDLED_MODEL, readModelSettings } from '../../src/embeddings/model-settings.js';
import { TransformersEmbedder } from '../../src/embeddings/transformers-embedder.js';
import { DelegatingEmbedder } from './delegating-embedder.js';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
export const SEEDS_DIR = path.join(PROJECT_ROOT, 'seeds');
/** Tests run offline against the bundled model unless CI or a developer names another. */
export const TEST_MODEL = process.env.EMBEDDING_MODEL ?? BUNDLED_MODEL.name;
/** Runs a project script as `npm run …` does, for tests that need a process of its own. */
export const TSX = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');

export interface Workspace {
  root: string;
  corpusDir: string;
  indexDir: string;
  settings(overrides?: Env): EngineSettings;
  /** The environment for a child process: this process's, pointed at the test model and this workspace. */
  processEnv(overrides?: Env): NodeJS.ProcessEnv;
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
  const env: Env = { EMBEDDING_MODEL: TEST_MODEL, CORPUS_DIR: corpusDir, INDEX_DIR: indexDir };
  return {
    root,
    corpusDir,
    indexDir,
    settings: (overrides = {}) => readEngineSettings({ ...env, ...overrides }, PROJECT_ROOT),
    processEnv: (overrides = {}) => ({ ...process.env, ...env, ...overrides }),
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
export class CountingEmbedder extends DelegatingEmbedder {
  passagesEmbedded = 0;
  queriesEmbedded = 0;
  /** Throws once this many passages have been embedded (simulates a crash mid-build). */
  failAfterPassages = Infinity;

  constructor(
    inner: Embedder,
    /** Stands in for another model's fingerprint (an index built "with another model"). */
    private readonly fingerprintOverride?: string,
  ) {
    super(inner);
  }

  override get fingerprint(): string {
    return this.fingerprintOverride ?? super.fingerprint;
  }

  override async embedPassages(texts: string[]): Promise<Float32Array[]> {
    if (this.passagesEmbedded + texts.length > this.failAfterPassages) throw new Error('embedding failed (simulated)');
    this.passagesEmbedded += texts.length;
    return this.inner.embedPassages(texts);
  }

  override async embedQuery(text: string): Promise<Float32Array> {
    this.queriesEmbedded += 1;
    return this.inner.embedQuery(text);
  }
}

/** A project script running in a process of its own, as `npm run …` starts it, with what it has printed so far. */
export interface ScriptProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `script` (a path under the project, e.g. `src/discord/start.ts`) over `workspace`, with `env` on top. */
export function startScript(workspace: Workspace, script: string, env: Env): ScriptProcess {
  const child = spawn(TSX, [path.join(PROJECT_ROOT, script)], { cwd: PROJECT_ROOT, env: workspace.processEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}
