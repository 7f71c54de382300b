/*
 * One of several processes competing for the index writer's lock (test/writer-lock.test.ts).
 * Inside the lock it creates a marker file exclusively: if the marker exists, another process
 * holds the lock at the same time. Some holders "die" holding it: the lock is left naming a
 * process that is gone, as a killed writer leaves it, and the others must take it over.
 *
 * Usage: tsx lock-contender.ts <root> <acquisitions> <deadPid> <dieEvery>
 * It says it is ready (a file `ready-<pid>`) and starts when the file `go` appears, so all
 * contenders run at once however long each took to start.
 */
import { existsSync } from 'node:fs';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { IndexLockedError } from '../../src/errors.js';
import { acquireWriterLock, LOCK_LOCATION } from '../../src/index-store/writer-lock.js';

const [root, acquisitionsArg, deadPidArg, dieEveryArg] = process.argv.slice(2);
const acquisitions = Number(acquisitionsArg);
const deadPid = Number(deadPidArg);
const dieEvery = Number(dieEveryArg);
const marker = path.join(root!, 'inside');
const result = { acquired: 0, refused: 0, overlaps: 0, died: 0 };

await writeFile(path.join(root!, `ready-${process.pid}`), '');
while (!existsSync(path.join(root!, 'go'))) await delay(5);

while (result.acquired < acquisitions) {
  let release: () => Promise<void>;
  try {
    release = await acquireWriterLock(root!);
  } catch (error) {
    if (!(error instanceof IndexLockedError)) throw error;
    result.refused += 1;
    await delay(Math.random() * 3);
    continue;
  }
  result.acquired += 1;
  try {
    await (await open(marker, 'wx')).close();
  } catch {
    result.overlaps += 1;
  }
  await delay(Math.random() * 2);
  await rm(marker, { force: true });
  if (result.acquired % dieEvery === 0) {
    // Dies holding the lock: what is left names a process that no longer runs.
    const left = path.join(root!, `.left-${process.pid}`);
    await writeFile(left, JSON.stringify({ pid: deadPid, startedAt: 1, where: LOCK_LOCATION, token: `dead-${process.pid}-${result.acquired}` }));
    await rename(left, path.join(root!, '.lock'));
    result.died += 1;
  } else {
    await release();
  }
}
process.stdout.write(JSON.stringify(result));
