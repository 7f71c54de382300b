import { IndexCorruptError } from '../errors.js';
import { CorpusIndex } from '../index-store/corpus-index.js';
import type { IndexDirectory } from '../index-store/index-directory.js';
import { incompatibility, type IndexRequirements } from '../index-store/manifest.js';

export interface Base {
  index: CorpusIndex;
  /** False when only search settings changed: passages and vectors are reused, graph and BM25 rebuilt. */
  searchReusable: boolean;
}

export interface BaseLookup {
  base: Base | null;
  /** The version in CURRENT as loaded, even when it cannot be built on (another model): a build reuses the object. */
  loaded: CorpusIndex | null;
  /** Why nothing on disk can be built on, when nothing can. */
  rebuildReason: string | null;
  /** What is damaged, when that is the reason: the builder reports it, once. */
  damage: string | null;
}

/**
 * The one place that decides between loading the index on disk and rebuilding it: the version
 * in CURRENT, if it is intact and its vectors still fit `required`. `current` (the index in
 * service) is used instead of reading the same version again.
 */
export async function loadBase(
  directory: IndexDirectory,
  required: IndexRequirements,
  efSearch: number,
  current: CorpusIndex | null = null,
): Promise<BaseLookup> {
  const version = await directory.currentVersion();
  if (version === null) return { base: null, loaded: null, rebuildReason: 'there was no index yet', damage: null };
  let index: CorpusIndex;
  try {
    index = current?.version === version ? current : await CorpusIndex.load(directory, version, efSearch);
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    return { base: null, loaded: null, rebuildReason: `the index was damaged: ${error.message}`, damage: error.message };
  }
  const mismatch = incompatibility(index.manifest, required);
  if (mismatch && !mismatch.vectorsReusable) return { base: null, loaded: index, rebuildReason: mismatch.reason, damage: null };
  return { base: { index, searchReusable: mismatch === null }, loaded: index, rebuildReason: null, damage: null };
}
