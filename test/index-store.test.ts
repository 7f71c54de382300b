import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmptyCorpusError } from '../src/errors.js';
import type { TransformersEmbedder } from '../src/embeddings/transformers-embedder.js';
import { CorpusEngine } from '../src/engine/corpus-engine.js';
import { IndexDirectory } from '../src/index-store/index-directory.js';
import { CountingEmbedder, createWorkspace, testEmbedder, type Workspace } from './helpers/workspace.js';

let model: TransformersEmbedder;
let workspace: Workspace;

beforeAll(async () => {
  model = await testEmbedder();
});
beforeEach(async () => {
  workspace = await createWorkspace();
});
afterEach(() => workspace.cleanup());

async function open(embedder: CountingEmbedder, warnings: string[] = [], overrides = {}): Promise<CorpusEngine> {
  return CorpusEngine.open(workspace.settings(overrides), { embedder, onWarning: (message) => warnings.push(message) });
}

async function currentVersion(): Promise<string | null> {
  return new IndexDirectory(workspace.indexDir).currentVersion();
}

describe('building and reloading', () => {
  it('builds once, then reloads from disk without embedding anything', async () => {
    const first = new CountingEmbedder(model);
    const built = await open(first);
    expect(built.openingBuild?.rebuildReason).toBe('there was no index yet');
    expect(first.passagesEmbedded).toBe(built.openingBuild!.passages.total);
    const answer = await built.search('Which newspapers received the leaked documents?');

    const second = new CountingEmbedder(model);
    const reloaded = await open(second);
    expect(reloaded.openingBuild).toBeNull();
    expect(second.passagesEmbedded).toBe(0);
    expect(reloaded.indexVersion).toBe(built.indexVersion);
    expect(await reloaded.search('Which newspapers received the leaked documents?')).toEqual(answer);
  });

  it('keeps the dense and the lexical index over the same passages, under the same ids', async () => {
    const engine = await open(new CountingEmbedder(model));
    const dir = new IndexDirectory(workspace.indexDir);
    const version = (await dir.currentVersion())!;
    const passages = JSON.parse(await readFile(dir.versionPath(version, 'passages.json'), 'utf8')) as Array<{ id: number }>;
    const lexical = JSON.parse(await readFile(dir.versionPath(version, 'lexical.json'), 'utf8')) as { ids: number[] };
    const manifest = JSON.parse(await readFile(dir.versionPath(version, 'manifest.json'), 'utf8')) as {
      documents: Record<string, { passageIds: number[] }>;
    };
    const ids = passages.map((passage) => passage.id).sort((a, b) => a - b);
    expect(lexical.ids).toEqual(ids);
    expect(Object.values(manifest.documents).flatMap((d) => d.passageIds).sort((a, b) => a - b)).toEqual(ids);
    expect(engine.sources().reduce((sum, source) => sum + source.passages, 0)).toBe(ids.length);
  });
});

describe('incremental re-index', () => {
  it('embeds only new and changed files, and drops removed ones', async () => {
    const embedder = new CountingEmbedder(model);
    const engine = await open(embedder);
    const before = engine.sources();
    embedder.passagesEmbedded = 0;

    await workspace.write('new-article.md', '# Volcanoes\n\nMount Etna erupted again on Sunday, sending ash over Catania airport, officials said.\n');
    await workspace.write(
      '000_a3e3ba9c672df76e.txt',
      `${await readFile(path.join(workspace.corpusDir, '000_a3e3ba9c672df76e.txt'), 'utf8')}\nA correction was appended to this article on Friday by the editors.`,
    );
    await workspace.remove('004_63f53a2ce5766511.txt');
    const summary = await engine.reindex();

    const after = new Map(engine.sources().map((source) => [source.source, source]));
    expect(summary.documents.added).toEqual(['new-article.md']);
    expect(summary.documents.changed).toEqual(['000_a3e3ba9c672df76e.txt']);
    expect(summary.documents.removed).toEqual(['004_63f53a2ce5766511.txt']);
    expect(embedder.passagesEmbedded).toBe(after.get('new-article.md')!.passages + after.get('000_a3e3ba9c672df76e.txt')!.passages);
    expect(summary.passages.embedded).toBe(embedder.passagesEmbedded);
    expect(after.has('004_63f53a2ce5766511.txt')).toBe(false);

    const etna = await engine.search('Which volcano erupted over Catania?', { k: 1 });
    expect(etna.results[0]?.source).toBe('new-article.md');
    const removed = await engine.search('What did Foreign Minister Abbas Araghchi call the claims?', { k: 10, mode: 'lexical' });
    expect(removed.results.map((r) => r.source)).not.toContain('004_63f53a2ce5766511.txt');
    expect(before.length).toBe(5);

    // The updated index in memory ranks as the same version read back from disk: the vectors
    // hybrid ranking scores BM25's finds with were updated with the graph.
    const reloaded = await open(embedder);
    expect(reloaded.indexVersion).toBe(engine.indexVersion);
    for (const question of ['Which volcano erupted over Catania?', 'What correction did the editors append?', 'Who denied the hacking claims?']) {
      expect(await reloaded.search(question, { k: 5 })).toEqual(await engine.search(question, { k: 5 }));
    }
  });

  it('changes nothing, and embeds nothing, when the corpus is unchanged', async () => {
    const embedder = new CountingEmbedder(model);
    const engine = await open(embedder);
    const version = engine.indexVersion;
    embedder.passagesEmbedded = 0;
    const summary = await engine.reindex();
    expect(summary.changed).toBe(false);
    expect(embedder.passagesEmbedded).toBe(0);
    expect(engine.indexVersion).toBe(version);
    expect(await currentVersion()).toBe(version);
  });

  it('refuses a second re-index while one runs, and an empty corpus, keeping the index in service', async () => {
    const engine = await open(new CountingEmbedder(model));
    await workspace.write('another.txt', 'Another article arrives with a sentence or two of news. It is short.');
    const running = engine.reindex();
    await expect(engine.reindex()).rejects.toThrow(/already running/);
    await running;

    const version = engine.indexVersion;
    for (const file of await readdir(workspace.corpusDir)) await workspace.remove(file);
    await expect(engine.reindex()).rejects.toBeInstanceOf(EmptyCorpusError);
    expect(engine.indexVersion).toBe(version);
    expect((await engine.search('Which newspapers received the leaked documents?')).answered).toBe(true);
  });
});

describe('configuration changes and damage', () => {
  it('rebuilds everything when the model changes', async () => {
    await open(new CountingEmbedder(model));
    const otherModel = new CountingEmbedder(model, 'another-model');
    const engine = await open(otherModel);
    expect(engine.openingBuild?.rebuildReason).toBe('the embedding model or its settings changed');
    expect(otherModel.passagesEmbedded).toBe(engine.openingBuild!.passages.total);
  });

  it('rebuilds everything when the chunking changes', async () => {
    await open(new CountingEmbedder(model));
    const embedder = new CountingEmbedder(model);
    const engine = await open(embedder, [], { PASSAGE_MIN_TOKENS: '10' });
    expect(engine.openingBuild?.rebuildReason).toBe('the passage chunking changed');
    expect(embedder.passagesEmbedded).toBeGreaterThan(0);
  });

  it('reuses the vectors when only the HNSW settings change', async () => {
    await open(new CountingEmbedder(model));
    const embedder = new CountingEmbedder(model);
    const engine = await open(embedder, [], { HNSW_M: '8' });
    expect(engine.openingBuild?.changed).toBe(true);
    expect(embedder.passagesEmbedded).toBe(0);
  });

  it.each(['hnsw.bin', 'passages.json', 'vectors.f32', 'lexical.json'])(
    'detects a truncated %s on load, warns, and rebuilds',
    async (file) => {
      const built = await open(new CountingEmbedder(model));
      const dir = new IndexDirectory(workspace.indexDir);
      await truncate(dir.versionPath(built.indexVersion, file), 100);
      const warnings: string[] = [];
      const embedder = new CountingEmbedder(model);
      const engine = await open(embedder, warnings);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(new RegExp(`damaged.*${file.replace('.', '\\.')}`));
      expect(engine.openingBuild?.rebuildReason).toMatch(/damaged/);
      expect(embedder.passagesEmbedded).toBeGreaterThan(0);
      expect((await engine.search('Which newspapers received the leaked documents?')).answered).toBe(true);
    },
  );
});

describe('a manifest edited or inconsistent', () => {
  async function editManifest(version: string, edit: (manifest: Record<string, any>) => void) {
    const file = new IndexDirectory(workspace.indexDir).versionPath(version, 'manifest.json');
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, any>;
    edit(manifest);
    await writeFile(file, JSON.stringify(manifest, null, 1));
  }

  async function expectOneWarningAndRebuild(pattern: RegExp) {
    const warnings: string[] = [];
    const embedder = new CountingEmbedder(model);
    const engine = await open(embedder, warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(pattern);
    expect(embedder.passagesEmbedded).toBeGreaterThan(0);
    expect((await engine.search('Which newspapers received the leaked documents?')).answered).toBe(true);
    // And the rebuilt index takes incremental updates again.
    await workspace.write('d.txt', 'Yet another article arrives after the repair, so that an update follows it. It is short.');
    const summary = await engine.reindex();
    expect(summary.documents.added).toEqual(['d.txt']);
  }

  it('is caught by its checksum when a passage id is changed, and rebuilt with one warning', async () => {
    const built = await open(new CountingEmbedder(model));
    await editManifest(built.indexVersion, (manifest) => {
      const [first] = Object.values(manifest.documents as Record<string, { passageIds: number[] }>);
      first!.passageIds[0] = 999;
    });
    await expectOneWarningAndRebuild(/damaged.*manifest.*changed after it was written/);
  });

  it('listing no files, beside a garbage graph, is rebuilt with one warning instead of crashing', async () => {
    const built = await open(new CountingEmbedder(model));
    await editManifest(built.indexVersion, (manifest) => {
      manifest.files = {};
    });
    await writeFile(new IndexDirectory(workspace.indexDir).versionPath(built.indexVersion, 'hnsw.bin'), 'garbage');
    await expectOneWarningAndRebuild(/damaged.*manifest/);
  });

  it('takes titles derived anew on the next build, without embedding (an index made under an older rule)', async () => {
    const built = await open(new CountingEmbedder(model));
    const [source, entry] = Object.entries(built.sources()).map(([, info]) => [info.source, info] as const)[0]!;
    await editManifest(built.indexVersion, (manifest) => {
      (manifest.documents as Record<string, { title: string }>)[source]!.title = 'Title by an older rule';
      const { sha256: _old, ...rest } = manifest;
      manifest.sha256 = createHash('sha256').update(JSON.stringify(rest)).digest('hex');
    });
    const embedder = new CountingEmbedder(model);
    const engine = await open(embedder);
    expect(engine.sources().find((info) => info.source === source)!.title).toBe('Title by an older rule');
    const summary = await engine.reindex();
    expect(summary.changed).toBe(true);
    expect(summary.passages.embedded).toBe(0);
    expect(embedder.passagesEmbedded).toBe(0);
    expect(engine.sources().find((info) => info.source === source)!.title).toBe(entry.title);
  });

  it("measures how far its documents stand apart, and gives whole documents that share of BM25's weight", async () => {
    // The five seed articles are all about one subject: a document says nothing its passages do not.
    const seeds = await open(new CountingEmbedder(model));
    const measured = seeds.documentShare;
    expect(measured.set).toBe(false);
    expect(measured.distinctness!).toBeLessThan(0.15);
    expect(measured.share).toBe(Math.max(0, measured.distinctness!));
    expect((await open(new CountingEmbedder(model), [], { HYBRID_DOCUMENT_WEIGHT: '0.4' })).documentShare).toMatchObject({ share: 0.4, set: true });

    // Articles on subjects of their own stand apart.
    for (const source of seeds.sources().map((info) => info.source)) await workspace.remove(source);
    const subjects = {
      'bread.txt': [
        'A sourdough starter is flour and water left to ferment until wild yeast makes it bubble.',
        'The dough is folded every half hour, then left to rise overnight in a cool kitchen.',
        'Bake the loaf in a covered pot so the steam keeps the crust soft while it rises.',
      ],
      'tides.txt': [
        'Tides rise and fall twice a day as the moon pulls the ocean towards it.',
        'At new and full moon the sun and moon pull together and spring tides run highest.',
        'Harbour masters publish tide tables so ships can leave port at high water.',
      ],
      'chess.txt': [
        'In chess the opening aims to develop the knights and bishops and castle the king early.',
        'A pawn that reaches the last rank is promoted, usually to a queen.',
        'The endgame rewards an active king: with few pieces left it becomes a strong piece.',
      ],
      'volcanoes.txt': [
        'A volcano erupts when magma rising from the mantle breaks through the crust.',
        'Ash clouds from an eruption can ground aircraft across a continent for days.',
        'Lava flows cool into basalt, and over centuries the rock weathers into fertile soil.',
      ],
    };
    for (const [source, paragraphs] of Object.entries(subjects)) await workspace.write(source, `${paragraphs.join('\n\n')}\n`);
    // Each article one passage: its document is the passage, and gets nothing of its own.
    const whole = await open(new CountingEmbedder(model));
    await whole.reindex();
    expect(whole.documentShare).toEqual({ share: 0, set: false, distinctness: null });
    // A passage per paragraph (another chunking: built afresh on opening).
    const apart = (await open(new CountingEmbedder(model), [], { PASSAGE_MAX_TOKENS: '24', PASSAGE_MIN_TOKENS: '4' })).documentShare;
    expect(apart.distinctness!).toBeGreaterThan(measured.distinctness! + 0.3);
    expect(apart.share).toBe(apart.distinctness);
  });

  it('measures an index built before document distinctness was, on the next build, without embedding', async () => {
    const built = await open(new CountingEmbedder(model));
    const share = built.documentShare;
    await editManifest(built.indexVersion, (manifest) => {
      delete manifest.documentDistinctness;
      const { sha256: _old, ...rest } = manifest;
      manifest.sha256 = createHash('sha256').update(JSON.stringify(rest)).digest('hex');
    });
    const embedder = new CountingEmbedder(model);
    const older = await open(embedder);
    // Until then it ranks as it did before the measure.
    expect(older.documentShare).toEqual({ share: 0.25, set: false, distinctness: undefined });
    const summary = await older.reindex();
    expect(summary.changed).toBe(true);
    expect(embedder.passagesEmbedded).toBe(0);
    expect(older.documentShare).toEqual(share);
  });

  it('serves a version written before 8-bit vectors were stored, quantizing at load, and ranks as with them', async () => {
    const built = await open(new CountingEmbedder(model));
    const questions = ['Which newspapers received the leaked documents?', 'What did the Secret Service foil in July?'];
    const answers = await Promise.all(questions.map((question) => built.search(question, { k: 5 })));
    const directory = new IndexDirectory(workspace.indexDir);
    await rm(directory.versionPath(built.indexVersion, 'vectors.i8'));
    await editManifest(built.indexVersion, (manifest) => {
      delete (manifest.files as Record<string, string>)['vectors.i8'];
      const { sha256: _old, ...rest } = manifest;
      manifest.sha256 = createHash('sha256').update(JSON.stringify(rest)).digest('hex');
    });
    const warnings: string[] = [];
    const embedder = new CountingEmbedder(model);
    const older = await open(embedder, warnings);
    expect(warnings).toEqual([]);
    expect(older.openingBuild).toBeNull();
    expect(older.indexVersion).toBe(built.indexVersion);
    for (const [i, question] of questions.entries()) expect(await older.search(question, { k: 5 })).toEqual(answers[i]);

    // A damaged 8-bit file is damage like any other: one warning, and a rebuild.
    await workspace.write('note.txt', 'The harbour master logged a storm on Tuesday, the worst in years.\n');
    await older.reindex();
    await writeFile(directory.versionPath(older.indexVersion, 'vectors.i8'), 'short');
    await expectOneWarningAndRebuild(/damaged|vectors\.i8/);
  });

  it('is rebuilt when its checksum holds but it disagrees with the passages (parts never written together)', async () => {
    const built = await open(new CountingEmbedder(model));
    await editManifest(built.indexVersion, (manifest) => {
      const [first] = Object.values(manifest.documents as Record<string, { passageIds: number[] }>);
      first!.passageIds[0] = 999;
      const { sha256: _old, ...rest } = manifest;
      manifest.sha256 = createHash('sha256').update(JSON.stringify(rest)).digest('hex');
    });
    await expectOneWarningAndRebuild(/damaged.*inconsistent: the manifest lists passage 999/);
  });
});

describe('atomic writes', () => {
  it('a build that fails midway leaves the previous index in service and on disk', async () => {
    const embedder = new CountingEmbedder(model);
    const engine = await open(embedder);
    const version = engine.indexVersion;
    await workspace.write('000_a3e3ba9c672df76e.txt', 'The whole article was replaced by this new text. It has two sentences.');
    await workspace.write('b.txt', 'A new file with enough words to be embedded in its own batch. Really.');
    embedder.failAfterPassages = embedder.passagesEmbedded;
    await expect(engine.reindex()).rejects.toThrow(/simulated/);

    expect(engine.indexVersion).toBe(version);
    expect(await currentVersion()).toBe(version);
    const reopened = await open(new CountingEmbedder(model));
    expect(reopened.openingBuild).toBeNull();
    expect(reopened.indexVersion).toBe(version);
    const answer = await reopened.search('What did the Secret Service foil in July?', { mode: 'lexical' });
    expect(answer.results.some((r) => r.passage.includes('foiled an attempt by Tehran'))).toBe(true);
  });

  it('ignores what a crash during a write left behind, and cleans it up on the next write', async () => {
    const built = await open(new CountingEmbedder(model));
    const versions = path.join(workspace.indexDir, 'versions');
    // A crash after some files of a new version were written, before CURRENT was switched:
    await mkdir(path.join(versions, '20990101T000000-dead.tmp-1'));
    await writeFile(path.join(versions, '20990101T000000-dead.tmp-1', 'hnsw.bin'), 'partial');
    await writeFile(path.join(workspace.indexDir, 'CURRENT.tmp-1'), '20990101T000000-dead\n');

    const reopened = await open(new CountingEmbedder(model));
    expect(reopened.openingBuild).toBeNull();
    expect(reopened.indexVersion).toBe(built.indexVersion);

    await workspace.write('c.txt', 'One more article, so that a new version gets written. It is brief.');
    await reopened.reindex();
    expect(await readdir(versions)).toEqual([reopened.indexVersion]);
    expect((await readdir(workspace.indexDir)).filter((entry) => entry.startsWith('CURRENT'))).toEqual(['CURRENT']);
  });
});
