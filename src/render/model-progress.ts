import type { ModelFileProgress } from '../embeddings/transformers-embedder.js';

/** A file read faster than this (the bundled model, a cached one) shows nothing. */
const SHOW_AFTER_MS = 1_000;
const PIPE_INTERVAL_MS = 5_000;

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

export function describeModelFile({ model, file, loaded, total }: ModelFileProgress, sizeKnown = true): string {
  if (!sizeKnown) return `Fetching the embedding model ${model}: ${file} ${megabytes(loaded)} so far`;
  const percent = total > 0 ? Math.floor((loaded / total) * 100) : 0;
  return `Fetching the embedding model ${model}: ${file} ${percent}% of ${megabytes(total)}`;
}

/**
 * Shows a model download on stderr, once a file takes long enough to be one: redrawn in place
 * on a terminal; on a pipe, a line when it starts showing, every few seconds, and when it ends.
 */
export function modelProgressPrinter(
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
): (progress: ModelFileProgress) => void {
  const started = new Map<string, { at: number; total: number }>();
  let printedAt = -Infinity;
  return (progress) => {
    const seen = started.get(progress.file) ?? started.set(progress.file, { at: now(), total: progress.total }).get(progress.file)!;
    const first = seen.at;
    // Without a Content-Length the library reports the total as what has arrived so far, so
    // only a size known from the start can say the file is complete.
    const sizeKnown = progress.total === seen.total;
    const finished = sizeKnown && progress.loaded >= progress.total;
    if (now() - first < SHOW_AFTER_MS) return;
    const line = describeModelFile(progress, sizeKnown);
    if (stream.isTTY) {
      stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1)}${finished ? '\n' : ''}`);
    } else if (finished || now() - printedAt >= PIPE_INTERVAL_MS) {
      stream.write(`${line}\n`);
      printedAt = now();
    }
  };
}
