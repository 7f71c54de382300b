import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmptyCorpusError, IndexBuildError } from '../src/errors.js';
import { CorpusEngine } from '../src/engine/corpus-engine.js';
import { writeGeneratedReports } from './helpers/generated-corpus.js';
import { createWorkspace, type Workspace } from './helpers/workspace.js';

/*
 * The index-building child process as production runs it (no test embedder: the engine starts
 * the builder with the configured model), and killed the way the kernel kills a process that
 * runs out of memory.
 */

let workspace: Workspace;
beforeEach(async () => {
  workspace = await createWorkspace();
});
afterEach(() => workspace.cleanup());

/** Pids of this process's children whose command line names the index builder. */
async function builderPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const task of await readdir('/proc/self/task')) {
    const children = (await readFile(`/proc/self/task/${task}/children`, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean);
    for (const pid of children) {
      const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (command.includes('builder-bootstrap')) pids.push(Number(pid));
    }
  }
  return pids;
}

describe('the index-building process', () => {
  it('killed mid-build: the re-index fails in one clear line, the index in service stays, the next build takes over', async () => {
    const engine = await CorpusEngine.open(workspace.settings());
    expect(engine.openingBuild?.documents.total).toBe(5);
    const before = engine.indexVersion;
    await writeGeneratedReports(workspace.corpusDir, 300);

    let killed = false;
    const reindex = engine.reindex({
      onProgress: (progress) => {
        if (killed || progress.phase !== 'embedding' || progress.passagesEmbedded === 0) return;
        killed = true;
        void builderPids().then((pids) => {
          expect(pids).toHaveLength(1);
          process.kill(pids[0]!, 'SIGKILL');
        });
      },
    });
    await expect(reindex).rejects.toBeInstanceOf(IndexBuildError);
    await expect(reindex).rejects.toThrow(/^The index-building process stopped \(killed by SIGKILL\) before it finished, perhaps out of memory\. The index in service was kept\.$/);
    expect(engine.indexVersion).toBe(before);
    expect((await engine.search('What did Iran say about the accusations?')).answered).toBe(true);

    // The dead builder's lock and half-written version do not stand in the way.
    const summary = await engine.reindex();
    expect(summary.documents.added).toHaveLength(300);
    expect(engine.indexVersion).not.toBe(before);
    expect(await readdir(path.join(workspace.indexDir, 'versions'))).toEqual([engine.indexVersion]);
    expect(await builderPids()).toEqual([]);
  }, 120_000);

  it('reports a build failure inside the process as its own type, with its message', async () => {
    const engine = await CorpusEngine.open(workspace.settings());
    for (const source of engine.sources()) await workspace.remove(source.source);
    await expect(engine.reindex()).rejects.toThrow(/^No indexable document \(\.txt, \.md, .*\) in .*; the index in service was kept\.$/);
    await expect(engine.reindex()).rejects.toBeInstanceOf(EmptyCorpusError);
  });
});
