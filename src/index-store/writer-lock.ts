import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { IndexLockedError } from '../errors.js';

/** Who holds the lock: enough to tell a live holder from one that is gone, and to own the file. */
interface LockRecord {
  pid: number;
  /** Tells this process from an earlier one that had the same pid (a container restarted). */
  startedAt: number;
  /** The host and pid namespace the pid belongs to: elsewhere (another container on a shared volume) it means nothing. */
  where: string;
  token: string;
}

const PROCESS_STARTED_AT = Math.round(Date.now() - process.uptime() * 1000);
/** Where this process's pids mean something: its host and pid namespace. */
export const LOCK_LOCATION = (() => {
  try {
    return `${hostname()}/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return hostname();
  }
})();
/** The holder refreshes its lock's time this often, so a writer whose pid cannot be checked shows it is alive. */
const HEARTBEAT_MS = 5_000;
/** A lock from another host or namespace, or one that cannot be read, not refreshed for this long is stale. */
const UNCHECKABLE_STALE_MS = 30_000;
/** Removing a stale lock takes milliseconds; a takeover marker that cannot be checked and is older was left by a crash. */
const TAKEOVER_STALE_MS = 10_000;
const MAX_ATTEMPTS = 100;

interface Found {
  record: LockRecord | null;
  ageMs: number;
}

/** The record in `file` and how long since it was written or refreshed, or null when there is no file. */
async function readLock(file: string): Promise<Found | null> {
  let text: string;
  let ageMs: number;
  try {
    ageMs = Date.now() - (await stat(file)).mtimeMs;
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockRecord> | number;
    // The format before this one: the holder's bare pid, on this host.
    if (typeof parsed === 'number') return { record: { pid: parsed, startedAt: -1, where: LOCK_LOCATION, token: `pid-${parsed}` }, ageMs };
    const { pid, startedAt, where, token } = parsed;
    if (typeof pid === 'number' && typeof startedAt === 'number' && typeof where === 'string' && typeof token === 'string') {
      return { record: { pid, startedAt, where, token }, ageMs };
    }
  } catch {
    // Being written (where locks cannot be hard links), or damaged: judged by its age.
  }
  return { record: null, ageMs };
}

function pidIsLive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isLive({ record, ageMs }: Found, staleAfterMs: number): boolean {
  if (!record || record.where !== LOCK_LOCATION) return ageMs < staleAfterMs;
  if (record.pid === process.pid) return record.startedAt === PROCESS_STARTED_AT;
  return pidIsLive(record.pid);
}

/**
 * Creates `target` holding the fully written `draft`, atomically, failing if `target` exists:
 * a hard link, or on file systems without them (FAT, some network shares) an exclusive create,
 * whose brief empty state readers take for a live lock.
 */
async function createAs(draft: string, target: string): Promise<boolean> {
  try {
    await link(draft, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
  }
  try {
    const handle = await open(target, 'wx');
    try {
      await handle.writeFile(await readFile(draft));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Removes the lock of a writer that is gone, if it is still that writer's. Only the holder of
 * the takeover marker may remove someone else's lock, so between checking whose lock it is and
 * removing it nobody else can replace it (creating a lock fails while one exists).
 */
async function removeStale(lockFile: string, draft: string, stale: Found): Promise<void> {
  const marker = `${lockFile}.takeover`;
  const now = new Date();
  await utimes(draft, now, now);
  if (!(await createAs(draft, marker))) {
    const holder = await readLock(marker);
    if (holder && !isLive(holder, TAKEOVER_STALE_MS)) await rm(marker, { force: true });
    else await delay(5 + Math.random() * 20);
    return;
  }
  try {
    const current = await readLock(lockFile);
    const same = current && (stale.record ? current.record?.token === stale.record.token : current.record === null);
    if (same) await rm(lockFile, { force: true });
  } finally {
    await rm(marker, { force: true });
  }
}

/** Drafts a crash left behind (a draft lives only while its process takes the lock). */
async function removeOldDrafts(root: string): Promise<void> {
  for (const entry of await readdir(root)) {
    if (!entry.startsWith('.lock-draft-')) continue;
    const file = path.join(root, entry);
    const age = await stat(file).then((info) => Date.now() - info.mtimeMs, () => 0);
    if (age > UNCHECKABLE_STALE_MS) await rm(file, { force: true });
  }
}

/**
 * Takes the lock of the one process that writes new index versions in `root` (the bot's builder,
 * `npm run index`, another bot on the same folder), and returns its release. The lock file
 * appears with its holder already in it and is refreshed while held; a lock whose holder is gone
 * is taken over; a live holder is an `IndexLockedError`.
 */
export async function acquireWriterLock(root: string): Promise<() => Promise<void>> {
  await mkdir(root, { recursive: true });
  const lockFile = path.join(root, '.lock');
  const record: LockRecord = { pid: process.pid, startedAt: PROCESS_STARTED_AT, where: LOCK_LOCATION, token: randomBytes(12).toString('hex') };
  const draft = path.join(root, `.lock-draft-${record.token}`);
  try {
    await removeOldDrafts(root);
    await writeFile(draft, JSON.stringify(record));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (await createAs(draft, lockFile)) return holding(lockFile, record.token);
      const holder = await readLock(lockFile);
      if (holder === null) continue;
      if (isLive(holder, UNCHECKABLE_STALE_MS)) {
        if (holder.record) throw new IndexLockedError(root, holder.record.pid);
        await delay(20);
        continue;
      }
      await removeStale(lockFile, draft, holder);
    }
    throw new IndexLockedError(root, null);
  } finally {
    await rm(draft, { force: true });
  }
}

/** The release of a held lock, which is refreshed until then. */
function holding(lockFile: string, token: string): () => Promise<void> {
  const heartbeat = setInterval(() => {
    const now = new Date();
    // A failed refresh (the folder went away) is not the holder's to report; the build's own writes will.
    utimes(lockFile, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return async () => {
    clearInterval(heartbeat);
    if ((await readLock(lockFile))?.record?.token === token) await rm(lockFile, { force: true });
  };
}
