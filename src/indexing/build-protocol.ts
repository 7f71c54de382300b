import type { ModelSettings } from '../embeddings/model-settings.js';
import type { IndexProgress, IndexSettings, ReindexSummary } from './index-types.js';

/** What the index-building process is asked to build: plain data, sent over its IPC channel. */
export interface BuildRequest {
  indexDir: string;
  model: ModelSettings;
  index: IndexSettings;
}

/** An error as it crosses the process boundary: its class name picks the type it is revived as. */
export interface SerializedError {
  name: string;
  message: string;
  setting?: string;
  /** Its message is written for a person (a `UserFacingError`): shown as one line, without the stack. */
  userFacing?: boolean;
  stack?: string;
}

export type BuildMessage =
  | { type: 'progress'; progress: IndexProgress }
  | { type: 'warning'; message: string }
  | { type: 'done'; summary: ReindexSummary }
  | { type: 'failed'; error: SerializedError };
