import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { IndexLockedError } from '../errors.js';

/** Who holds the lock: enough to tell a live holder from one that is gone, and to own the file. */
interface LockRecord {
  pid: number;
  /** Tells this process from an earlier one that had the same pid (a container restarted). */
  startedAt: number;
  token: string;
}

const PROCESS_STARTED_AT = Math.round(Date.now() - process.uptime() * 1000);
/** Removing a stale lock takes milliseconds; a takeover marker older than this was left by a crash. */
const TAKEOVER_STALE_MS = 10_000;
const MAX_ATTEMPTS = 100;

async function readRecord(file: string): Promise<LockRecord | null> {
  try {
    const record = JSON.parse(await readFile(file, 'utf8')) as Partial<LockRecord> | number;
    // The format before this one: the holder's bare pid.
    if (typeof record === 'number') return { pid: record, startedAt: -1, token: `pid-${record}` };
    if (typeof record.pid === 'number' && typeof record.token === 'string' && typeof record.startedAt === 'number') {
      return record as LockRecord;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  }
  // Damaged or foreign: no live process can own it.
  return { pid: 0, startedAt: 0, token: 'unreadable' };
}

function isLive(holder: LockRecord): boolean {
  if (holder.pid === process.pid) return holder.startedAt === PROCESS_STARTED_AT;
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates `target` as a second name of the fully written `draft`: atomic, and fails if `target` exists. */
async function createAs(draft: string, target: string): Promise<boolean> {
  try {
    await link(draft, target);
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
async function removeStale(lockFile: string, draft: string, stale: LockRecord): Promise<void> {
  const marker = `${lockFile}.takeover`;
  if (!(await createAs(draft, marker))) {
    const since = await stat(marker).then((info) => Date.now() - info.mtimeMs, () => 0);
    if (since > TAKEOVER_STALE_MS) await rm(marker, { force: true });
    else await delay(5 + Math.random() * 20);
    return;
  }
  try {
    if ((await readRecord(lockFile))?.token === stale.token) await rm(lockFile, { force: true });
  } finally {
    await rm(marker, { force: true });
  }
}

/**
 * Takes the lock of the one process that writes new index versions in `root` (the bot's builder,
 * `npm run index`, another bot), and returns its release. The lock file appears with its holder
 * already in it; a lock whose holder is gone is taken over; a live holder is an `IndexLockedError`.
 */
export async function acquireWriterLock(root: string): Promise<() => Promise<void>> {
  await mkdir(root, { recursive: true });
  const lockFile = path.join(root, '.lock');
  const record: LockRecord = { pid: process.pid, startedAt: PROCESS_STARTED_AT, token: randomBytes(12).toString('hex') };
  const draft = path.join(root, `.lock-draft-${record.token}`);
  await writeFile(draft, JSON.stringify(record));
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (await createAs(draft, lockFile)) {
        return async () => {
          if ((await readRecord(lockFile))?.token === record.token) await rm(lockFile, { force: true });
        };
      }
      const holder = await readRecord(lockFile);
      if (holder === null) continue;
      if (isLive(holder)) throw new IndexLockedError(root, holder.pid);
      await removeStale(lockFile, draft, holder);
    }
    throw new IndexLockedError(root, null);
  } finally {
    await rm(draft, { force: true });
  }
}
