import { CORPUS_FILE_TYPES } from '../corpus/formats/formats.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import type { Embedder } from '../embeddings/embedder.js';
import { EmptyCorpusError } from '../errors.js';
import type { CorpusIndex } from '../index-store/corpus-index.js';
import type { IndexDirectory } from '../index-store/index-directory.js';
import type { DocumentEntry } from '../index-store/manifest.js';
import { loadBase } from './base-index.js';
import { embedDocuments } from './embed-passages.js';
import { requirementsFor, type IndexProgress, type IndexSettings, type ReindexSummary } from './index-types.js';
import { persistVersion } from './persist.js';
import { planUpdate, skipWarnings } from './plan.js';

export interface UpdateOptions {
  directory: IndexDirectory;
  embedder: Embedder;
  settings: IndexSettings;
  /** The index in service, if any: reused instead of reading the same version from disk again. */
  current?: CorpusIndex | null;
  onProgress?: (progress: IndexProgress) => void;
  onWarning?: (message: string) => void;
}

const duplicatesIn = (entries: Record<string, DocumentEntry>) => Object.values(entries).reduce((sum, entry) => sum + entry.duplicates, 0);

/**
 * Brings the index up to date with the corpus folder, as three steps under the writer's lock:
 * plan (what changed against the version on disk), embed (only new and changed files), persist
 * (a new version written atomically). The index in service is never modified, so it keeps
 * answering until the caller swaps in the returned one; on any failure it stays as it was.
 */
export async function updateIndex(options: UpdateOptions): Promise<{ index: CorpusIndex; summary: ReindexSummary }> {
  const started = performance.now();
  const { directory, embedder, settings, onProgress, onWarning } = options;
  const required = requirementsFor(embedder, settings);
  const release = await directory.lock();
  try {
    // Decided again under the lock: another writer may have put a new version in meanwhile.
    const { base, rebuildReason, damage } = await loadBase(directory, required, settings.hnsw.efSearch, options.current);
    if (damage) onWarning?.(`The index on disk is damaged (${damage}); rebuilding it from the corpus.`);
    const previous = base?.index.manifest.documents ?? {};
    const { documents, skipped } = await loadCorpus(settings.corpusDir, settings.maxFileBytes);
    const plan = planUpdate(documents, skipped, previous);
    for (const warning of skipWarnings(skipped, plan)) onWarning?.(warning);
    if (plan.present.length === 0) {
      throw new EmptyCorpusError(`No indexable document (${CORPUS_FILE_TYPES}) in ${settings.corpusDir}; the index in service was kept.`);
    }
    const { present, added, changed, removed, toEmbed } = plan;
    const progress: IndexProgress = {
      phase: 'scanning',
      files: present.length,
      added: added.length,
      changed: changed.length,
      removed: removed.length,
      passagesToEmbed: 0,
      passagesEmbedded: 0,
    };
    const report = (update: Partial<IndexProgress>) => {
      Object.assign(progress, update);
      onProgress?.({ ...progress });
    };
    report({});
    const summaryOf = (index: CorpusIndex, embedded: number, changedNow: boolean): ReindexSummary => ({
      version: index.version,
      previousVersion: base?.index.version ?? null,
      changed: changedNow,
      rebuildReason,
      documents: { total: present.length, added, changed, removed, unchanged: present.length - toEmbed.size },
      passages: { total: index.passages.size, embedded, reused: index.passages.size - embedded, duplicates: duplicatesIn(index.manifest.documents) },
      skipped,
      durationMs: Math.round(performance.now() - started),
    });

    const retitled = documents.some((document) => {
      const entry = previous[document.source];
      return entry !== undefined && (entry.title !== document.title || entry.url !== document.url);
    });
    // A version from before document distinctness was measured is written anew (nothing embedded) to carry it.
    const unmeasured = base?.index.manifest.documentDistinctness === undefined;
    if (base && base.searchReusable && toEmbed.size === 0 && removed.length === 0 && !retitled && !unmeasured) {
      return { index: base.index, summary: summaryOf(base.index, 0, false) };
    }

    const embedded = await embedDocuments(
      documents.filter((document) => toEmbed.has(document.source)),
      required.chunking,
      embedder,
      (passages) => report({ phase: 'embedding', passagesToEmbed: passages }),
      (count) => report({ passagesEmbedded: count }),
    );
    report({ phase: 'writing' });
    const index = await persistVersion(directory, base, plan, documents, embedded, required, settings);
    // The new version is in service; failing to tidy up after it must not fail the build.
    await directory.removeStaleVersions().catch((error: unknown) => {
      onWarning?.(`Could not remove earlier index versions (${(error as Error).message}); the next build tries again.`);
    });
    return { index, summary: summaryOf(index, embedded.vectors.length, true) };
  } finally {
    await release();
  }
}
