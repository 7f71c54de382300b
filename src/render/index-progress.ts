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

/**
 * Shows index progress on stderr: one line redrawn in place on a terminal; on a pipe or in CI,
 * a line per phase change so logs stay short.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): {
  update: (progress: IndexProgress) => void;
  done: () => void;
} {
  let lastPhase: IndexProgress['phase'] | null = null;
  let drawn = false;
  return {
    update(progress) {
      const line = describeProgress(progress);
      if (stream.isTTY) {
        stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1).padEnd(Math.min(line.length, 119))}`);
        drawn = true;
      } else if (progress.phase !== lastPhase) {
        stream.write(`${line}\n`);
      }
      lastPhase = progress.phase;
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
