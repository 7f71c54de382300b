import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import {
  ConfigError,
  EmptyCorpusError,
  IndexBuildError,
  IndexCorruptError,
  IndexLockedError,
  IndexStorageError,
  ModelLoadError,
  UserFacingError,
} from '../errors.js';
import type { Embedder } from '../embeddings/embedder.js';
import type { CorpusIndex } from '../index-store/corpus-index.js';
import type { IndexDirectory } from '../index-store/index-directory.js';
import type { IndexProgress, IndexSettings, ReindexSummary } from './index-types.js';
import { updateIndex } from './update-index.js';
import type { BuildMessage, BuildRequest, SerializedError } from './build-protocol.js';

export interface BuildEvents {
  onProgress?: (progress: IndexProgress) => void;
  onWarning?: (message: string) => void;
}

export interface BuildResult {
  summary: ReindexSummary;
  /** The new index in memory, when the build ran in this thread; otherwise it is read from disk. */
  index?: CorpusIndex;
}

/** Brings the persisted index up to date with the corpus; `current` is the index in service, if any. */
export interface IndexBuilder {
  build(current: CorpusIndex | null, events: BuildEvents): Promise<BuildResult>;
}

/** Builds in this thread with the given embedder: for tools and tests that bring their own model. */
export function inThreadBuilder(directory: IndexDirectory, embedder: Embedder, settings: IndexSettings): IndexBuilder {
  return {
    build: (current, events) => updateIndex({ directory, embedder, settings, current, ...events }),
  };
}

const here = fileURLToPath(import.meta.url);
/** Nice level of the builder: below the bot, so embedding a corpus never delays an answer. */
const BUILDER_NICENESS = 10;
const BOOTSTRAP = fileURLToPath(new URL('./builder-bootstrap.mjs', import.meta.url));
// The entry has this file's extension: .ts when run through tsx, .js once compiled.
const ENTRY = new URL(`./build-process${path.extname(here)}`, import.meta.url).href;

/** Errors the build raised that callers act on come back as their own types. */
const REVIVED: Record<string, (error: SerializedError) => Error> = {
  ConfigError: (error) => new ConfigError(error.setting ?? '', error.message),
  ModelLoadError: (error) => new ModelLoadError(error.message),
  EmptyCorpusError: (error) => new EmptyCorpusError(error.message),
  IndexCorruptError: (error) => new IndexCorruptError(error.message),
  IndexStorageError: (error) => new IndexStorageError(error.message),
  IndexLockedError: (error) => Object.assign(new IndexLockedError('', null), { message: error.message }),
};

function revive(serialized: SerializedError): Error {
  const make = REVIVED[serialized.name] ?? ((error) => new (error.userFacing ? UserFacingError : Error)(error.message));
  const error = Object.assign(make(serialized), { name: serialized.name });
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}

/**
 * Builds in a child process that loads its own copy of the model, so the event loop of this
 * process (the bot's gateway heartbeats, its answers from the index in service) never waits on
 * the model. One process per build; it ends with the build and takes its memory with it.
 */
export function processBuilder(request: BuildRequest): IndexBuilder {
  return {
    build: (_current, events) =>
      new Promise<BuildResult>((resolve, reject) => {
        let settled = false;
        const settle = (outcome: () => void) => {
          if (settled) return;
          settled = true;
          outcome();
        };
        const child = fork(BOOTSTRAP, [ENTRY], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        // The bot's own work (answers, heartbeats) comes first on a machine with few cores.
        if (child.pid !== undefined) setPriority(child.pid, BUILDER_NICENESS);
        const fail = (error: unknown) => {
          settle(() => reject(error));
          child.kill();
        };
        child.on('message', (message: BuildMessage) => {
          try {
            if (message.type === 'progress') events.onProgress?.(message.progress);
            else if (message.type === 'warning') events.onWarning?.(message.message);
            else if (message.type === 'done') settle(() => resolve({ summary: message.summary }));
            else settle(() => reject(revive(message.error)));
          } catch (error) {
            // A failing progress handler fails this build, not the process listening to it.
            fail(error);
          }
        });
        child.on('error', fail);
        child.on('exit', (code, signal) =>
          settle(() =>
            reject(
              new IndexBuildError(
                `The index-building process stopped (${signal ? `killed by ${signal}` : `exit code ${code}`}) before it finished, ` +
                  'perhaps out of memory.',
              ),
            ),
          ),
        );
        child.send(request);
      }),
  };
}
