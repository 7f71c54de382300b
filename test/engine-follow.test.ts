import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorpusEngine } from '../src/engine/corpus-engine.js';
import { IndexCorruptError } from '../src/errors.js';
import { CountingEmbedder, createWorkspace, testEmbedder, type Workspace } from './helpers/workspace.js';

const LIGHTHOUSE = 'Harbour notes\n\nThe Ardmore lighthouse keeper logs every passing whaler in a green ledger.\n';
const QUESTION = 'What does the Ardmore lighthouse keeper write passing whalers in?';

let workspace: Workspace;

beforeEach(async () => {
  workspace = await createWorkspace();
});

afterEach(() => workspace.cleanup());

/** Two processes on one index folder, as two shards are: each its own engine over the same files. */
async function twoEngines(second?: CountingEmbedder): Promise<[CorpusEngine, CorpusEngine]> {
  const first = await CorpusEngine.open(workspace.settings(), { embedder: await testEmbedder() });
  return [first, await CorpusEngine.open(workspace.settings(), { embedder: second ?? new CountingEmbedder(await testEmbedder()) })];
}

describe('an engine following the version another process committed', () => {
  it('serves the new version once it looks, with nothing built by itself', async () => {
    const counting = new CountingEmbedder(await testEmbedder());
    const [builder, follower] = await twoEngines(counting);
    await workspace.write('lighthouse.txt', LIGHTHOUSE);
    await builder.reindex();
    expect((await follower.search(QUESTION)).results.map((result) => result.source)).not.toContain('lighthouse.txt');

    const outcome = await follower.followCurrent();
    expect(outcome).toEqual({ kind: 'switched', from: expect.any(String), to: builder.indexVersion });
    expect(follower.indexVersion).toBe(builder.indexVersion);
    expect((await follower.search(QUESTION)).results[0]?.source).toBe('lighthouse.txt');
    expect(counting.passagesEmbedded).toBe(0);
    // Nothing new: nothing to do.
    expect(await follower.followCurrent()).toBeNull();
  });

  it('keeps the index in service when CURRENT names one built with another model, and says so once', async () => {
    const [builder, follower] = await twoEngines(new CountingEmbedder(await testEmbedder(), 'another-model'));
    const before = follower.indexVersion;
    await workspace.write('lighthouse.txt', LIGHTHOUSE);
    await builder.reindex();
    expect(await follower.followCurrent()).toMatchObject({ kind: 'incompatible', version: builder.indexVersion, reason: expect.stringMatching(/model/) });
    expect(await follower.followCurrent()).toBeNull();
    expect(follower.indexVersion).toBe(before);
    expect((await follower.search('What did the Secret Service foil in July?')).answered).toBe(true);
  });

  it('keeps the index in service when the new version is damaged, and reports it once', async () => {
    const [builder, follower] = await twoEngines();
    const before = follower.indexVersion;
    await workspace.write('lighthouse.txt', LIGHTHOUSE);
    await builder.reindex();
    const passages = path.join(workspace.indexDir, 'versions', builder.indexVersion, 'passages.json');
    await writeFile(passages, (await readFile(passages, 'utf8')).replace('lighthouse', 'lamphouse'));

    await expect(follower.followCurrent()).rejects.toBeInstanceOf(IndexCorruptError);
    expect(await follower.followCurrent()).toBeNull();
    expect(follower.indexVersion).toBe(before);
    expect((await follower.search('What did the Secret Service foil in July?')).answered).toBe(true);
  });

  it('looks on its own at the interval it is given, until stopped', async () => {
    const [builder, follower] = await twoEngines();
    const outcomes: unknown[] = [];
    const stop = follower.follow(50, { onFollow: (outcome) => outcomes.push(outcome), onError: (error) => outcomes.push(error) });
    try {
      await workspace.write('lighthouse.txt', LIGHTHOUSE);
      await builder.reindex();
      const deadline = Date.now() + 10_000;
      while (follower.indexVersion !== builder.indexVersion && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(outcomes).toEqual([{ kind: 'switched', from: expect.any(String), to: builder.indexVersion }]);
    } finally {
      stop();
    }
  });
});
