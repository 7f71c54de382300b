import { parseArgs, type ParseArgsConfig } from 'node:util';
import { RETRIEVAL_MODES, type RetrievalMode } from '../retrieval/types.js';
import type { ModelFileProgress } from '../embeddings/transformers-embedder.js';
import { progressPrinter } from '../render/index-progress.js';
import { modelProgressPrinter } from '../render/model-progress.js';
import type { IndexProgress } from '../indexing/index-types.js';
import { UsageError } from '../errors.js';
import { printWarning } from '../run-main.js';

/** `parseArgs` with its complaints (an unknown option, a missing value) as usage errors. */
export function parseOptions<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }
}

/** `--results N`: a whole number from 1 to 25 (Discord's choice limit, and more than a reader scans). */
export function resultsOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const k = Number(value);
  if (!Number.isInteger(k) || k < 1 || k > 25) throw new UsageError('--results must be a whole number from 1 to 25.');
  return k;
}

/** Retrieval modes named in `value` (comma-separated), in `RETRIEVAL_MODES` order; all when unset. */
export function modesOption(name: string, value: string | undefined): RetrievalMode[] {
  if (value === undefined) return [...RETRIEVAL_MODES];
  const names = value.split(',').map((part) => part.trim().toLowerCase());
  if (names.length === 0 || names.some((part) => !RETRIEVAL_MODES.some((mode) => mode === part))) {
    throw new UsageError(`${name} takes ${RETRIEVAL_MODES.join(', ')}${name === '--modes' ? ' (comma-separated)' : ''}; got "${value}".`);
  }
  return RETRIEVAL_MODES.filter((mode) => names.includes(mode));
}

/** Model download and index progress, and warnings, on stderr; a warning never drawn over a progress line. */
export function terminalEvents(): {
  onModelFile: (progress: ModelFileProgress) => void;
  onProgress: (progress: IndexProgress) => void;
  onWarning: (message: string) => void;
  done: () => void;
} {
  const progress = progressPrinter();
  return {
    onModelFile: modelProgressPrinter(),
    onProgress: progress.update,
    onWarning: (message) => {
      progress.done();
      printWarning(message);
    },
    done: progress.done,
  };
}
