import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexLockedError } from '../src/errors.js';
import { acquireWriterLock, LOCK_LOCATION } from '../src/index-store/writer-lock.js';
import { PROJECT_ROOT, TSX } from './helpers/workspace.js';

let root: string;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the contenders to start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The pid of a process that has run and ended. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid!));
  });
}

function contender(args: string[]): Promise<{ acquired: number; refused: number; overlaps: number; died: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(PROJECT_ROOT, 'test/helpers/lock-contender.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`contender exited with ${code}`))));
  });
}

describe('the index writer lock', () => {
  it('lets one process in at a time, across contention and takeovers of locks left by dead writers', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'corpus-bot-lock-'));
    const dead = await deadPid();
    // A lock left by a killed writer before anyone starts: all six race to take it over.
    await writeFile(path.join(root, '.lock'), JSON.stringify({ pid: dead, startedAt: 1, where: LOCK_LOCATION, token: 'killed-writer' }));
    const running = Array.from({ length: 6 }, () => contender([root, '60', String(dead), '4']));
    await waitFor(async () => (await readdir(root)).filter((entry) => entry.startsWith('ready-')).length === 6);
    await writeFile(path.join(root, 'go'), '');
    const results = await Promise.all(running);
    const total = results.reduce(
      (sum, r) => ({ acquired: sum.acquired + r.acquired, refused: sum.refused + r.refused, overlaps: sum.overlaps + r.overlaps, died: sum.died + r.died }),
      { acquired: 0, refused: 0, overlaps: 0, died: 0 },
    );
    expect(total.overlaps).toBe(0);
    expect(total.acquired).toBe(360);
    // The contention was real: writers were refused while another held it, and dead ones' locks were taken over.
    expect(total.refused).toBeGreaterThan(50);
    expect(total.died).toBe(6 * 15);
    // Nothing of the protocol is left behind but the last dead writer's lock.
    expect((await readdir(root)).filter((entry) => entry !== '.lock' && entry !== 'go' && !entry.startsWith('ready-'))).toEqual([]);
  }, 120_000);

  it('refuses a second writer while the first is alive, naming its pid, and is never visible half-written', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'corpus-bot-lock-'));
    const release = await acquireWriterLock(root);
    const record = JSON.parse(await readFile(path.join(root, '.lock'), 'utf8')) as { pid: number };
    expect(record.pid).toBe(process.pid);
    const second = acquireWriterLock(root);
    await expect(second).rejects.toBeInstanceOf(IndexLockedError);
    await expect(second).rejects.toThrow(`Another process (pid ${process.pid}) is writing the index in ${root}`);
    await release();
    const again = await acquireWriterLock(root);
    await again();
    expect(await readdir(root)).toEqual([]);
  });

  it('takes over a lock an earlier process with the same pid left (a restarted container)', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'corpus-bot-lock-'));
    await writeFile(path.join(root, '.lock'), JSON.stringify({ pid: process.pid, startedAt: 1, where: LOCK_LOCATION, token: 'before-restart' }));
    const release = await acquireWriterLock(root);
    await release();
  });

  it('takes over a lock in the old format (a bare pid) of a process that is gone', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'corpus-bot-lock-'));
    await writeFile(path.join(root, '.lock'), String(await deadPid()));
    const release = await acquireWriterLock(root);
    await release();
  });

  it('respects a fresh lock of a writer in another container (its pid cannot be checked), and takes over one left unrefreshed', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'corpus-bot-lock-'));
    const lock = path.join(root, '.lock');
    await writeFile(lock, JSON.stringify({ pid: 1, startedAt: 1, where: 'other-host/pid:[1]', token: 'elsewhere' }));
    await expect(acquireWriterLock(root)).rejects.toThrow('Another process (pid 1) is writing the index');
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(lock, minuteAgo, minuteAgo);
    const release = await acquireWriterLock(root);
    await release();
  });

  it('takes over a takeover marker whose holder died mid-takeover, at once', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'corpus-bot-lock-'));
    const dead = await deadPid();
    const stale = { pid: dead, startedAt: 1, where: LOCK_LOCATION };
    await writeFile(path.join(root, '.lock'), JSON.stringify({ ...stale, token: 'dead-writer' }));
    await writeFile(path.join(root, '.lock.takeover'), JSON.stringify({ ...stale, token: 'dead-taker' }));
    const started = Date.now();
    const release = await acquireWriterLock(root);
    expect(Date.now() - started).toBeLessThan(2_000);
    await release();
    expect(await readdir(root)).toEqual([]);
  });

  it('keeps its lock fresh while held, so a writer elsewhere can tell it is alive', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'corpus-bot-lock-'));
    const release = await acquireWriterLock(root);
    const lock = path.join(root, '.lock');
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(lock, minuteAgo, minuteAgo);
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    expect(Date.now() - (await stat(lock)).mtimeMs).toBeLessThan(6_000);
    await release();
  }, 15_000);
});
