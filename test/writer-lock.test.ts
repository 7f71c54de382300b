import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexLockedError } from '../src/errors.js';
import { acquireWriterLock } from '../src/index-store/writer-lock.js';
import { PROJECT_ROOT, TSX } from './helpers/workspace.js';

let root: string;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

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
    await writeFile(path.join(root, '.lock'), JSON.stringify({ pid: dead, startedAt: 1, token: 'killed-writer' }));
    const results = await Promise.all(Array.from({ length: 6 }, () => contender([root, '60', String(dead), '4'])));
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
    expect((await readdir(root)).filter((entry) => entry !== '.lock')).toEqual([]);
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
    await writeFile(path.join(root, '.lock'), JSON.stringify({ pid: process.pid, startedAt: 1, token: 'before-restart' }));
    const release = await acquireWriterLock(root);
    await release();
  });

  it('takes over a lock in the old format (a bare pid) of a process that is gone', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'corpus-bot-lock-'));
    await writeFile(path.join(root, '.lock'), String(await deadPid()));
    const release = await acquireWriterLock(root);
    await release();
  });
});
