import type { IndexProgress, ReindexSummary } from '../indexing/index-types.js';

const BAR_WIDTH = 24;

function counts(progress: IndexProgress): string {
  return `${progress.files} files (${progress.added} new, ${progress.changed} changed, ${progress.removed} removed)`;
}

export function describeProgress(progress: IndexProgress): string {
  switch (progress.phase) {
    case 'scanning':
      return `Scanning: ${counts(progress)}`;
    case 'embedding': {
      const { passagesEmbedded: done, passagesToEmbed: total } = progress;
      const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
      return `Embedding [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} passages · ${counts(progress)}`;
    }
    case 'writing':
      return `Writing the index · ${counts(progress)}`;
  }
}

export function describeSummary(summary: ReindexSummary): string {
  const { documents, passages } = summary;
  const lines = [
    summary.changed
      ? `Index ${summary.version} ready: ${documents.total} documents, ${passages.total} passages.`
      : `Index ${summary.version} is up to date: ${documents.total} documents, ${passages.total} passages.`,
    `Documents: ${documents.added.length} new, ${documents.changed.length} changed, ${documents.removed.length} removed, ${documents.unchanged} unchanged.`,
    `Passages: ${passages.embedded} embedded, ${passages.reused} reused, ${passages.duplicates} duplicates skipped. Took ${(summary.durationMs / 1000).toFixed(1)} s.`,
  ];
  if (summary.rebuildReason) lines.push(`Built from scratch because ${summary.rebuildReason}.`);
  return lines.join('\n');
}

/** On a pipe, a long phase still shows it is moving this often. */
const PIPE_INTERVAL_MS = 5_000;

/**
 * Shows index progress on stderr: one line redrawn in place on a terminal; on a pipe or in CI,
 * a line when a phase starts, one every few seconds while it lasts, and its final state when it
 * ends, so a log never stops at "0/54 passages" when all 54 were embedded.
 */
export function progressPrinter(
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
): {
  update: (progress: IndexProgress) => void;
  done: () => void;
} {
  let latest: IndexProgress | null = null;
  let printed: IndexProgress | null = null;
  let printedAt = 0;
  let drawn = false;
  const print = (progress: IndexProgress) => {
    stream.write(`${describeProgress(progress)}\n`);
    printed = progress;
    printedAt = now();
  };
  return {
    update(progress) {
      if (stream.isTTY) {
        const line = describeProgress(progress);
        stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1).padEnd(Math.min(line.length, 119))}`);
        drawn = true;
        return;
      }
      if (latest && latest.phase !== progress.phase && latest !== printed) print(latest);
      if (progress.phase !== printed?.phase || now() - printedAt >= PIPE_INTERVAL_MS) print(progress);
      latest = progress;
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
      if (latest && latest !== printed) print(latest);
      latest = null;
    },
  };
}
