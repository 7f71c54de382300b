import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IndexStorageError } from '../src/errors.js';
import { IndexDirectory } from '../src/index-store/index-directory.js';
import { LOCK_LOCATION } from '../src/index-store/writer-lock.js';
import { PROJECT_ROOT, TSX, createWorkspace, type Workspace } from './helpers/workspace.js';

/*
 * What a careless operator meets: a full or read-only disk, files where folders belong, a lock
 * held by a live writer, bytes that are not UTF-8, links and pipes in the corpus, a document
 * caught mid-rewrite. Each is one clear line (no stack trace), and the index stays intact.
 */

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let workspace: Workspace;
beforeEach(async () => {
  workspace = await createWorkspace();
});
afterEach(() => workspace.cleanup());

function cli(script: string, args: string[], options: { env?: Record<string, string>; stdin?: Buffer | string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      TSX,
      [path.join(PROJECT_ROOT, 'src/cli', script), ...args],
      { cwd: PROJECT_ROOT, env: workspace.processEnv(options.env), encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.stdin ?? '');
  });
}

/** A shell script run as the CLI's parent, for what needs a mount or raw bytes in argv. */
function shell(script: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', script], { cwd: PROJECT_ROOT, env: { ...workspace.processEnv(), TSX, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function expectOneLine(run: Run, pattern: RegExp): void {
  const lines = run.stderr.trim().split('\n').filter((line) => line.startsWith('error:') || /^\s+at /.test(line));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

// Mounting a small tmpfs in a private mount namespace needs root (or user namespaces); where
// neither is allowed, the disk tests cannot run, and say so.
const canMount = (() => {
  try {
    execFileSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!canMount) process.stdout.write('cli-faults: no mount namespace here; the full-disk and read-only disk runs are skipped\n');

describe.runIf(canMount)('a full or read-only disk under INDEX_DIR', () => {
  it('a full disk: one clear line, exit 1, and no partial version left behind', async () => {
    const run = await shell(
      `unshare -m sh -c 'mkdir -p "$INDEX_DIR" && mount -t tmpfs -o size=160k tmpfs "$INDEX_DIR" && "$TSX" src/cli/index-corpus.ts; echo "exit=$?"; find "$INDEX_DIR" -mindepth 1 | sort'`,
    );
    expectOneLine(run, /^error: The disk holding the index \(INDEX_DIR=.*\) is full: writing index version \S+ failed\. Free some space/);
    expect(run.stdout).toMatch(/exit=1/);
    const left = run.stdout.split('\n').filter((line) => line.startsWith(workspace.indexDir));
    expect(left.filter((entry) => /\.tmp-|versions\/./.test(entry))).toEqual([]);
  });

  it('a graph file written short (hnswlib does not check its writes) is refused, not committed', async () => {
    const run = await shell(
      `unshare -m sh -c 'mkdir -p "$INDEX_DIR" && mount -t tmpfs -o size=8k tmpfs "$INDEX_DIR" && "$TSX" test/helpers/write-graph.ts "$INDEX_DIR"'`,
    );
    expect(run.stdout).toMatch(/^refused: ENOSPC: hnsw\.bin was written \d+ bytes short$/m);
  });

  it('a read-only disk: one clear line naming INDEX_DIR', async () => {
    const run = await shell(
      `unshare -m sh -c 'mkdir -p "$INDEX_DIR" && mount -t tmpfs -o size=4m tmpfs "$INDEX_DIR" && mount -o remount,ro "$INDEX_DIR" && "$TSX" src/cli/ask.ts "Who won?"'`,
    );
    expect(run.code).toBe(1);
    expectOneLine(run, /^error: The index folder \(INDEX_DIR=.*\) is on a read-only file system: taking the writer lock failed\. Set INDEX_DIR to a writable folder\./);
  });
});

describe('files where folders belong, and the reverse', () => {
  it('CURRENT a folder', async () => {
    await mkdir(path.join(workspace.indexDir, 'CURRENT'), { recursive: true });
    const run = await cli('ask.ts', ['Who won?']);
    expect(run.code).toBe(1);
    expectOneLine(run, /^error: .*\/CURRENT is a folder where the index keeps a file \(reading CURRENT, the pointer to the version in service\)\. Remove it/);
  });

  it('versions a file', async () => {
    await mkdir(workspace.indexDir, { recursive: true });
    await writeFile(path.join(workspace.indexDir, 'versions'), 'not a folder');
    const run = await cli('index-corpus.ts', []);
    expect(run.code).toBe(1);
    expectOneLine(run, /^error: .*\/versions is a file where the index keeps a folder \(writing index version \S+\)\. Move it out of INDEX_DIR=/);
  });

  it('CORPUS_DIR a file', async () => {
    const file = path.join(workspace.root, 'corpus.txt');
    await writeFile(file, 'a file, not a folder');
    const run = await cli('index-corpus.ts', [], { env: { CORPUS_DIR: file } });
    expect(run.code).toBe(1);
    expectOneLine(run, new RegExp(`^error: The corpus folder ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is a file, not a folder\\. Set CORPUS_DIR`));
  });
});

describe('the writer lock held by a live process', () => {
  it('is refused with the holder named, and the index stays as it was', async () => {
    const built = await cli('index-corpus.ts', []);
    expect(built.code).toBe(0);
    const holder = spawn('sleep', ['30']);
    try {
      await writeFile(path.join(workspace.indexDir, '.lock'), JSON.stringify({ pid: holder.pid, startedAt: 1, where: LOCK_LOCATION, token: 'live-writer' }));
      await workspace.write('new.txt', 'A new document arrives while another process holds the lock. It waits.');
      const run = await cli('index-corpus.ts', []);
      expect(run.code).toBe(1);
      expectOneLine(run, new RegExp(`^error: Another process \\(pid ${holder.pid}\\) is writing the index in .*; try again when it is done\\.`));
      const ask = await cli('ask.ts', ['--json', 'Which newspapers received the leaked documents?']);
      expect(JSON.parse(ask.stdout).answered).toBe(true);
    } finally {
      holder.kill();
    }
  });
});

describe('bytes that are not UTF-8', () => {
  it('in the question argument: refused, exit 2', async () => {
    const run = await shell(`"$TSX" src/cli/ask.ts "$(printf 'caf\\351 au lait')"`);
    expect(run.code).toBe(2);
    expectOneLine(run, /^error: The question is not valid UTF-8 text/);
  });

  it('on a --stdin line: that line refused by number, the others answered', async () => {
    const input = Buffer.concat([Buffer.from('What did Harris condemn?\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), Buffer.from('What did ISNA call the accusations?\n')]);
    const run = await cli('ask.ts', ['--stdin'], { stdin: input });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^line 2 skipped: it is not valid UTF-8 text\.$/m);
    expect(run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { question: string }).question)).toEqual([
      'What did Harris condemn?',
      'What did ISNA call the accusations?',
    ]);
  });
});

describe('links, pipes and a document caught mid-rewrite', () => {
  it('indexes a link to a file in the corpus, refuses one out of it, warns about a broken link and a FIFO (never opened)', async () => {
    await workspace.write('archive/ferry.txt', 'Ferry report\n\nThe linked report says the Marrowby ferry carried nine hundred passengers in its first week.\n');
    await symlink(path.join(workspace.corpusDir, 'archive/ferry.txt'), path.join(workspace.corpusDir, 'linked.txt'));
    const outside = path.join(workspace.root, 'secrets.txt');
    await writeFile(outside, 'DISCORD_TOKEN=do-not-publish-this\n');
    await symlink(outside, path.join(workspace.corpusDir, 'notes.txt'));
    await symlink(path.join(workspace.root, 'missing.txt'), path.join(workspace.corpusDir, 'broken.txt'));
    execFileSync('mkfifo', [path.join(workspace.corpusDir, 'pipe.txt')]);
    const run = await cli('index-corpus.ts', []);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: Skipped broken\.txt: it is a link to nothing/);
    expect(run.stderr).toMatch(/warning: Skipped notes\.txt: it is a link to a file outside the corpus folder\./);
    expect(run.stderr).toMatch(/warning: Skipped pipe\.txt: it is a named pipe \(FIFO\), not a file\./);
    expect(run.stdout).toMatch(/ready: 7 documents/);
    const ask = await cli('ask.ts', ['--json', 'How many passengers did the Marrowby ferry carry?']);
    const sources = (JSON.parse(ask.stdout) as { results: Array<{ source: string }> }).results.map((result) => result.source);
    expect(sources.some((source) => source === 'linked.txt' || source === 'archive/ferry.txt')).toBe(true);
    const secret = await cli('ask.ts', ['--json', '--mode', 'lexical', 'DISCORD_TOKEN do-not-publish-this']);
    expect(secret.stdout).not.toContain('do-not-publish-this\n');
    expect((JSON.parse(secret.stdout) as { results: Array<{ source: string }> }).results.map((result) => result.source)).not.toContain('notes.txt');
  });

  it('keeps the last indexed version of a file that reads as empty, and says so', async () => {
    await workspace.write('ferry.txt', 'Ferry report\n\nThe Marrowby ferry carried nine hundred passengers in its first week of service.\n');
    expect((await cli('index-corpus.ts', [])).code).toBe(0);
    await workspace.write('ferry.txt', '');
    const run = await cli('index-corpus.ts', []);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: ferry\.txt was not indexed again: it is empty; its previously indexed version is kept\./);
    expect(run.stdout).toMatch(/is up to date: 6 documents/);
    const ask = await cli('ask.ts', ['--json', 'How many passengers did the Marrowby ferry carry?']);
    expect((JSON.parse(ask.stdout) as { results: Array<{ source: string }> }).results[0]!.source).toBe('ferry.txt');
  });
});

describe('a write that fails midway (fault injected)', () => {
  it('removes its temporary version and reports the full disk in one line', async () => {
    const directory = new IndexDirectory(workspace.indexDir);
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const commit = directory.commit(
      { version: '20990101T000000-full' } as Parameters<IndexDirectory['commit']>[0],
      async (dir) => {
        await writeFile(path.join(dir, 'passages.json'), '[]');
        throw full;
      },
    );
    await expect(commit).rejects.toBeInstanceOf(IndexStorageError);
    await expect(commit).rejects.toThrow(/is full: writing index version 20990101T000000-full failed/);
    expect(await readdir(path.join(workspace.indexDir, 'versions'))).toEqual([]);
  });
});
