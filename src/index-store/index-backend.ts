import { CorpusIndex } from './corpus-index.js';
import type { IndexDirectory } from './index-directory.js';
import type { SearchIndex } from './search-index.js';

/**
 * Where the versions every reader serves are kept. Builds always write the index folder (it is
 * the builder's base for incremental updates); a backend then makes a built version the one in
 * service: the folder itself (`files`), or a database several processes and machines share.
 */
export interface IndexBackend {
  readonly name: 'files' | 'postgres';
  /**
   * Whether versions are published beyond the index folder, so that the one in service may have
   * been built by another process elsewhere and must be looked for there first.
   */
  readonly shared: boolean;
  /** The version readers are to serve, or null if none is. */
  currentVersion(): Promise<string | null>;
  /** A version readers may serve, opened for searching. */
  open(version: string): Promise<SearchIndex>;
  /** Makes a version the builder committed to the index folder the one every reader serves. */
  publish(built: CorpusIndex): Promise<SearchIndex>;
  close(): Promise<void>;
}

/** The index folder as the store of served versions: CURRENT names the one in service. */
export function fileBackend(directory: IndexDirectory, efSearch: number): IndexBackend {
  return {
    name: 'files',
    shared: false,
    currentVersion: () => directory.currentVersion(),
    open: (version) => CorpusIndex.load(directory, version, efSearch),
    publish: async (built) => built,
    close: async () => undefined,
  };
}
