import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { CorpusEngine } from '../../src/engine/corpus-engine.js';
import { postgresBackend } from '../../src/index-store/backends/postgres/postgres-backend.js';
import { CorpusIndex } from '../../src/index-store/corpus-index.js';
import { IndexDirectory } from '../../src/index-store/index-directory.js';
import type { RetrievalMode } from '../../src/retrieval/types.js';
import { openCorpus, type BenchCorpus } from '../corpora.js';
import { count, megabytes, ms, seconds, type SectionResult } from '../report.js';
import { benchSettings, PROJECT_ROOT } from '../setup.js';
import { timeAsync, type Distribution, type RunPlan } from '../stats.js';

export interface PostgresOptions {
  embedder: Embedder;
  corpora: BenchCorpus[];
  quick: boolean;
}

const TSX = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');
const MODES: RetrievalMode[] = ['hybrid', 'lexical', 'dense'];

interface ScaleFigures {
  scale: string;
  passages: number;
  /** Writing the version into the database and making it current, from the built index folder. */
  publishMs: number;
  databaseBytes: number;
  search: Record<'files' | 'postgres', Record<RetrievalMode, Distribution>>;
  /** Questions whose first result is the same passage from both backends (hybrid). */
  sameFirst: { same: number; of: number };
}

/**
 * The PostgreSQL backend beside the index folder at each scale: publishing a built version (the
 * database's share of a re-index) and engine.search in each mode, one question at a time, warm.
 * The database is PGlite with pgvector in a process of its own, its data on disk, reached over
 * the wire protocol: a Postgres server compiled to WebAssembly, single-threaded, so a native
 * server on the same machine would be faster, not slower.
 */
export async function postgresSection({ embedder, corpora, quick }: PostgresOptions): Promise<SectionResult> {
  const plan = (runs: number): RunPlan => ({ warmup: 10, runs: quick ? Math.ceil(runs / 3) : runs });
  const scales: ScaleFigures[] = [];
  for (const corpus of corpora) {
    process.stderr.write(`  postgres at ${corpus.label} scale\n`);
    scales.push(await measureScale(corpus, embedder, plan));
  }
  const scaleLabel = (figures: ScaleFigures) => `${figures.scale} (${count(figures.passages)})`;
  return {
    key: 'postgres',
    figures: { scales },
    targets: [],
    tables: [
      {
        title: 'Index backends: engine.search, index folder (files) against PostgreSQL with pgvector (postgres)',
        header: ['scale', 'mode', 'files p50 ms', 'files p99 ms', 'postgres p50 ms', 'postgres p99 ms'],
        rows: scales.flatMap((figures) =>
          MODES.map((mode) => [scaleLabel(figures), mode, ...p50p99(figures.search.files[mode]), ...p50p99(figures.search.postgres[mode])]),
        ),
        note:
          'Warm engines, one question at a time, the query cache off, the model in the path (the same for both). Postgres: PGlite 0.5 with ' +
          'pgvector 0.8 in a separate process on the same 2 cores, through the pg client; HNSW m 16, ef_construction 200, ef_search 128.',
      },
      {
        title: 'Index backends: publishing a version to PostgreSQL',
        header: ['scale', 'publish (one transaction)', 'database size', 'same first result as files (hybrid)'],
        rows: scales.map((figures) => [
          scaleLabel(figures),
          seconds(figures.publishMs),
          megabytes(figures.databaseBytes),
          `${figures.sameFirst.same}/${figures.sameFirst.of}`,
        ]),
        note:
          'Publish: passages, vectors and postings written, term and document statistics computed, the postings and HNSW indexes built and ' +
          'the current version moved, in one transaction, from the built index folder; a re-index with this backend is the build ' +
          '(lifecycle section) plus this. Every version is written whole. Same first result: both HNSW graphs are approximate, so at ' +
          'scale a few first results differ; at seed scale the tests require all answers to be the same.',
      },
    ],
  };
}

async function measureScale(corpus: BenchCorpus, embedder: Embedder, plan: (runs: number) => RunPlan): Promise<ScaleFigures> {
  const { engine: files } = await openCorpus(corpus, embedder);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'corpus-bot-pg-'));
  const server = await startServer(dataDir);
  try {
    const url = `postgres://postgres:postgres@127.0.0.1:${server.port}/postgres`;
    const settings = benchSettings(corpus.corpusDir, corpus.indexDir, { INDEX_BACKEND: 'postgres', DATABASE_URL: url });
    const directory = new IndexDirectory(settings.indexDir);
    const local = await CorpusIndex.load(directory, files.indexVersion, settings.index.hnsw.efSearch);
    const backend = await postgresBackend(directory, { url, poolSize: 4, keepPrevious: 1, hnsw: settings.index.hnsw, candidates: settings.retrieval.candidates });
    const started = performance.now();
    await backend.publish(local);
    const publishMs = performance.now() - started;
    await backend.close();

    const postgres = await CorpusEngine.open(settings, { embedder });
    try {
      const { questions } = corpus;
      const question = (i: number) => questions[i % questions.length]!;
      const large = local.passages.size > 50_000;
      const search = { files: {}, postgres: {} } as ScaleFigures['search'];
      for (const mode of MODES) {
        search.files[mode] = await timeAsync(plan(large ? 150 : 300), (i) => files.search(question(i), { mode }));
        search.postgres[mode] = await timeAsync(plan(large ? 150 : 300), (i) => postgres.search(question(i), { mode }));
      }
      let same = 0;
      for (const text of questions) if ((await files.search(text)).results[0]?.passageId === (await postgres.search(text)).results[0]?.passageId) same += 1;
      return { scale: corpus.label, passages: local.passages.size, publishMs, databaseBytes: await databaseSize(url), search, sameFirst: { same, of: questions.length } };
    } finally {
      await postgres.close();
    }
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

const p50p99 = (distribution: Distribution) => [ms(distribution.p50), ms(distribution.p99)];

async function databaseSize(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size')).rows[0]!.size);
  } finally {
    await client.end();
  }
}

/** The database server in a process of its own (`bench/child/postgres-server.ts`), once it listens. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(TSX, [path.join(PROJECT_ROOT, 'bench/child/postgres-server.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the Postgres server exited (${code}) before it listened`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  return { child, port };
}
