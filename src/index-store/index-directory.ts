import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IndexCorruptError } from '../errors.js';
import { INDEX_FORMAT, type IndexManifest } from './manifest.js';
import { inStorage, storageError } from './storage-errors.js';
import { acquireWriterLock } from './writer-lock.js';

/**
 * The on-disk layout of persisted indexes:
 *
 *   <root>/CURRENT                 the version in service (replaced atomically by rename)
 *   <root>/versions/<version>/     manifest.json and the data files it checksums
 *   <root>/.lock                   held by the one process writing a new version
 *
 * A new version is written into a temporary folder, renamed into place, and only then named in
 * CURRENT, so a crash at any point leaves the previous version in service and intact.
 */
export class IndexDirectory {
  constructor(readonly root: string) {}

  private get versionsDir(): string {
    return path.join(this.root, 'versions');
  }

  versionPath(version: string, file = ''): string {
    return path.join(this.versionsDir, version, file);
  }

  async currentVersion(): Promise<string | null> {
    const pointer = path.join(this.root, 'CURRENT');
    try {
      const version = (await readFile(pointer, 'utf8')).trim();
      return /^[\w.-]+$/.test(version) ? version : null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      // INDEX_DIR itself is a file: there is no index in it, and writing one will say so.
      if (code === 'ENOTDIR') return null;
      throw storageError(error, this.root, 'reading CURRENT, the pointer to the version in service', pointer);
    }
  }

  /**
   * The manifest of `version`, after checking it against its own checksum and every data file
   * against its size and checksum. An index of another format is returned unchecked: it is
   * rebuilt for that reason, not reported as damaged.
   */
  async readVerified(version: string): Promise<IndexManifest> {
    let stored: IndexManifest & { sha256?: unknown };
    try {
      stored = JSON.parse(await readFile(this.versionPath(version, MANIFEST_FILE), 'utf8')) as IndexManifest & { sha256?: unknown };
    } catch (error) {
      throw new IndexCorruptError(`the manifest of index ${version} is unreadable (${(error as Error).message})`);
    }
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
      throw new IndexCorruptError(`the manifest of index ${version} is not an object`);
    }
    const { sha256, ...manifest } = stored;
    if (manifest.format !== INDEX_FORMAT) return manifest;
    if (sha256 !== sha256Of(JSON.stringify(manifest))) {
      throw new IndexCorruptError(`the manifest of index ${version} was changed after it was written (checksum mismatch)`);
    }
    for (const [file, expected] of Object.entries(manifest.files ?? {})) {
      const actual = await checksum(this.versionPath(version, file)).catch(() => null);
      if (!actual || actual.bytes !== expected.bytes || actual.sha256 !== expected.sha256) {
        throw new IndexCorruptError(
          `${file} of index ${version} is ${actual ? 'damaged or truncated (checksum mismatch)' : 'missing'}`,
        );
      }
    }
    return manifest;
  }

  /**
   * Writes a new version: `writeFiles` fills a temporary folder, then checksums go into the
   * manifest, the folder is renamed into place and CURRENT is switched to it.
   */
  async commit(
    manifest: Omit<IndexManifest, 'files'>,
    writeFiles: (dir: string) => Promise<void>,
  ): Promise<IndexManifest> {
    const staging = path.join(this.versionsDir, `${manifest.version}.tmp-${process.pid}`);
    const pointer = path.join(this.root, `CURRENT.tmp-${process.pid}`);
    let placed = false;
    try {
      await mkdir(this.versionsDir, { recursive: true });
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging);
      await writeFiles(staging);
      const files: IndexManifest['files'] = {};
      for (const file of (await readdir(staging)).sort()) {
        files[file] = await checksum(path.join(staging, file));
        await syncFile(path.join(staging, file));
      }
      const complete: IndexManifest = { ...manifest, files };
      // Checksummed like the files it lists: an edit that is still valid JSON must not be served.
      await writeDurably(
        path.join(staging, MANIFEST_FILE),
        JSON.stringify({ ...complete, sha256: sha256Of(JSON.stringify(complete)) }, null, 1),
      );
      await rename(staging, this.versionPath(manifest.version));
      placed = true;
      await writeDurably(pointer, `${manifest.version}\n`);
      await rename(pointer, path.join(this.root, 'CURRENT'));
      return complete;
    } catch (error) {
      // A failed write (a full disk, most often) leaves nothing behind to fill it further. If
      // removing fails too, the write's own failure is the one to report; the next successful
      // build removes what is left (removeStaleVersions).
      const leftovers = [staging, pointer, ...(placed ? [this.versionPath(manifest.version)] : [])];
      await Promise.all(leftovers.map((entry) => rm(entry, { recursive: true, force: true }))).catch(() => undefined);
      throw storageError(error, this.root, `writing index version ${manifest.version}`);
    }
  }

  /** Removes every version but the current one, and what interrupted writes left behind. */
  async removeStaleVersions(): Promise<void> {
    const current = await this.currentVersion();
    const entries = await readdir(this.versionsDir).catch(() => [] as string[]);
    // A pointer a crash left unrenamed; the lock is held, so none is being written now.
    const pointers = (await readdir(this.root).catch(() => [] as string[])).filter((entry) => entry.startsWith('CURRENT.tmp-'));
    await Promise.all([
      ...entries.filter((entry) => entry !== current).map((entry) => rm(path.join(this.versionsDir, entry), { recursive: true, force: true })),
      ...pointers.map((entry) => rm(path.join(this.root, entry), { force: true })),
    ]);
  }

  /** Takes the writer's lock, so two processes (the bot and `npm run index`) never build at once. */
  lock(): Promise<() => Promise<void>> {
    return inStorage(this.root, 'taking the writer lock', () => acquireWriterLock(this.root));
  }
}

const MANIFEST_FILE = 'manifest.json';

function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newVersionId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
}

async function checksum(file: string): Promise<{ bytes: number; sha256: string }> {
  const { size } = await stat(file);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { bytes: size, sha256: hash.digest('hex') };
}

async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeDurably(file: string, content: string): Promise<void> {
  await writeFile(file, content);
  await syncFile(file);
}
