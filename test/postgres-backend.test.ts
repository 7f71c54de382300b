import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { CorpusEngine } from '../src/engine/corpus-engine.js';
import { readEngineSettings } from '../src/engine/engine-settings.js';
import { ConfigError, IndexDatabaseError } from '../src/errors.js';
import { readEvalQuestions } from '../src/eval/seed-questions.js';
import { CorpusIndex } from '../src/index-store/corpus-index.js';
import { IndexDirectory } from '../src/index-store/index-directory.js';
import { publishVersion } from '../src/index-store/backends/postgres/publish.js';
import { startPostgres, type PostgresServer } from './helpers/postgres-server.js';
import { CountingEmbedder, createWorkspace, PROJECT_ROOT, testEmbedder, type Workspace } from './helpers/workspace.js';

const LIGHTHOUSE = 'Harbour notes\n\nThe Ardmore lighthouse keeper logs every passing whaler in a green ledger.\n';
const QUESTION = 'What does the Ardmore lighthouse keeper write passing whalers in?';

let server: PostgresServer;
let workspace: Workspace;
const engines: CorpusEngine[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server.stop());

beforeEach(async () => {
  workspace = await createWorkspace();
  // Each test starts from an empty database, as a new deployment does.
  await server.db.exec('DROP SCHEMA IF EXISTS corpus_bot CASCADE');
  for (const { nspname } of (await server.db.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'corpus_bot_v%'")).rows) {
    await server.db.exec(`DROP SCHEMA ${nspname} CASCADE`);
  }
});

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
  await workspace.cleanup();
});

const postgresEnv = () => ({ INDEX_BACKEND: 'postgres', DATABASE_URL: server.url });

async function openEngine(env: Record<string, string> = postgresEnv(), options: { embedder?: CountingEmbedder; on?: Workspace } = {}): Promise<CorpusEngine> {
  const engine = await CorpusEngine.open((options.on ?? workspace).settings(env), { embedder: options.embedder ?? (await testEmbedder()) });
  engines.push(engine);
  return engine;
}

async function versionsInDatabase(): Promise<string[]> {
  return (await server.db.query<{ version: string }>('SELECT version FROM corpus_bot.versions ORDER BY id')).rows.map((row) => row.version);
}

describe('the index on PostgreSQL with pgvector', () => {
  it('answers every dev and seed question exactly as the index folder does: same passages, order, quotes and declines', async () => {
    const files = await openEngine({});
    const database = await openEngine();
    expect(database.backendName).toBe('postgres');
    expect(database.indexVersion).toBe(files.indexVersion);
    const questions = [
      ...(await readEvalQuestions(`${PROJECT_ROOT}/eval/paraphrase-dev.jsonl`)),
      ...(await readEvalQuestions(`${PROJECT_ROOT}/../shared/eval/seeds-questions.jsonl`)),
    ];
    expect(questions.length).toBeGreaterThan(150);
    const view = (answer: Awaited<ReturnType<CorpusEngine['search']>>) => ({
      answered: answer.answered,
      notMentioned: answer.notMentioned,
      results: answer.results.map(({ passageId, source, location, quote, highlight, missing }) => ({ passageId, source, location, quote, highlight, missing })),
    });
    for (const { question } of questions) expect(view(await database.search(question)), question).toEqual(view(await files.search(question)));
  });

  it('serves a version another process published without building anything, and shows the whole passage behind a result', async () => {
    await openEngine();
    // Another machine: its own index folder, empty, and the same database.
    const elsewhere = await createWorkspace();
    try {
      const counting = new CountingEmbedder(await testEmbedder());
      const reader = await openEngine(postgresEnv(), { embedder: counting, on: elsewhere });
      const answer = await reader.search('What did the Secret Service foil in July?');
      expect(answer.answered).toBe(true);
      expect(counting.passagesEmbedded).toBe(0);
      expect(await new IndexDirectory(elsewhere.indexDir).currentVersion()).toBeNull();
      const view = await reader.passage(answer.results[0]!.passageId);
      expect(view?.passage).toContain(answer.results[0]!.quote.replace(/^… |( …)$/gu, '').split(' … ')[0]);
      expect(await reader.passage(10_000_000)).toBeUndefined();
    } finally {
      await elsewhere.cleanup();
    }
  });

  it('a re-index on one machine is served by another once it looks, and old versions are dropped', async () => {
    const writer = await openEngine();
    const elsewhere = await createWorkspace();
    try {
      const reader = await openEngine(postgresEnv(), { on: elsewhere });
      const first = writer.indexVersion;
      await workspace.write('lighthouse.txt', LIGHTHOUSE);
      await writer.reindex();
      expect((await reader.search(QUESTION)).results.map((result) => result.source)).not.toContain('lighthouse.txt');
      expect(await reader.followCurrent()).toEqual({ kind: 'switched', from: first, to: writer.indexVersion });
      expect((await reader.search(QUESTION)).results[0]?.source).toBe('lighthouse.txt');

      await workspace.remove('lighthouse.txt');
      await writer.reindex();
      // The current version and the one before it, for readers still answering from it; no older.
      expect(await versionsInDatabase()).toHaveLength(2);
      expect(await versionsInDatabase()).not.toContain(first);
      await reader.followCurrent();
      expect((await reader.search(QUESTION)).results.map((result) => result.source)).not.toContain('lighthouse.txt');
    } finally {
      await elsewhere.cleanup();
    }
  });

  it('answers a server’s question from its own documents and the shared ones, never another server’s', async () => {
    await workspace.write('servers/111/lighthouse.txt', LIGHTHOUSE);
    const engine = await openEngine();
    expect((await engine.search(QUESTION, { server: '111' })).results[0]?.source).toBe('servers/111/lighthouse.txt');
    for (const server of ['222', null]) {
      expect((await engine.search(QUESTION, { server })).results.map((result) => result.source)).not.toContain('servers/111/lighthouse.txt');
    }
    const one = await engine.search('What did the Secret Service foil?', { source: '004_63f53a2ce5766511.txt' });
    expect(one.results.length).toBeGreaterThan(0);
    expect(new Set(one.results.map((result) => result.source))).toEqual(new Set(['004_63f53a2ce5766511.txt']));
  });

  it('publishes a version in one transaction: a publish that fails leaves the current version and nothing of itself', async () => {
    const engine = await openEngine();
    const before = await versionsInDatabase();
    await workspace.write('lighthouse.txt', LIGHTHOUSE);
    const files = await openEngine({});
    await files.reindex();
    const directory = new IndexDirectory(workspace.indexDir);
    const built = await CorpusIndex.load(directory, (await directory.currentVersion())!, 64);
    const vectors = await CorpusIndex.readVectors(directory, built.manifest);
    // The fault: one vector of the wrong length, which the database refuses after every other row is written.
    const last = [...vectors.keys()].at(-1)!;
    vectors.set(last, vectors.get(last)!.subarray(1));
    const pool = new pg.Pool({ connectionString: server.url, max: 2 });
    try {
      await expect(publishVersion(pool, { manifest: built.manifest, passages: built.passages.values(), vectors }, { m: 16, efConstruction: 64 })).rejects.toThrow(
        /dimensions/,
      );
    } finally {
      await pool.end();
    }
    expect(await versionsInDatabase()).toEqual(before);
    expect((await server.db.query("SELECT 1 FROM pg_namespace WHERE nspname LIKE 'corpus_bot_v%'")).rows).toHaveLength(1);
    expect(await engine.followCurrent()).toBeNull();
    expect((await engine.search('What did the Secret Service foil in July?')).answered).toBe(true);
  });
});

describe('settings and faults of the database backend', () => {
  it('asks for DATABASE_URL when INDEX_BACKEND=postgres has none, and refuses an unknown backend', () => {
    expect(() => readEngineSettings({ INDEX_BACKEND: 'postgres' }, PROJECT_ROOT)).toThrow(ConfigError);
    expect(() => readEngineSettings({ INDEX_BACKEND: 'postgres' }, PROJECT_ROOT)).toThrow(/DATABASE_URL/);
    expect(() => readEngineSettings({ INDEX_BACKEND: 'mysql' }, PROJECT_ROOT)).toThrow(/INDEX_BACKEND must be one of files, postgres/);
  });

  it('says which database it cannot reach, without its password, and builds nothing', async () => {
    const counting = new CountingEmbedder(await testEmbedder());
    const opening = CorpusEngine.open(workspace.settings({ INDEX_BACKEND: 'postgres', DATABASE_URL: 'postgres://bot:s3cret@127.0.0.1:1/corpus' }), { embedder: counting });
    await expect(opening).rejects.toBeInstanceOf(IndexDatabaseError);
    await expect(opening).rejects.toThrow(/postgres:\/\/bot@127\.0\.0\.1:1\/corpus/);
    await expect(opening).rejects.not.toThrow(/s3cret/);
    expect(counting.passagesEmbedded).toBe(0);
  });

  it('reports a failed look for a new version as one line, and keeps the version in service', async () => {
    const engine = await openEngine();
    await server.db.exec('ALTER SCHEMA corpus_bot RENAME TO corpus_bot_away');
    try {
      await expect(engine.followCurrent()).rejects.toBeInstanceOf(IndexDatabaseError);
    } finally {
      await server.db.exec('ALTER SCHEMA corpus_bot_away RENAME TO corpus_bot');
    }
    expect((await engine.search('What did the Secret Service foil in July?')).answered).toBe(true);
  });

  it('answers a question asked while the database is down with an error that names it', async () => {
    const own = await startPostgres();
    let stopped = false;
    try {
      const engine = await openEngine({ INDEX_BACKEND: 'postgres', DATABASE_URL: own.url });
      await own.stop();
      stopped = true;
      const failed = engine.search('Who foiled the attempt in July?');
      await expect(failed).rejects.toBeInstanceOf(IndexDatabaseError);
      await expect(failed).rejects.toThrow(/The index database \(postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres\) failed while searching/);
    } finally {
      if (!stopped) await own.stop();
    }
  });
});
