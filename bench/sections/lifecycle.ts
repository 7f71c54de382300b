import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { CorpusEngine } from '../../src/engine/corpus-engine.js';
import { CorpusIndex } from '../../src/index-store/corpus-index.js';
import { IndexDirectory } from '../../src/index-store/index-directory.js';
import type { IndexProgress } from '../../src/indexing/index-types.js';
import type { ColdStartReport, ColdStartRequest } from '../child/cold-start.js';
import { openCorpus, type BenchCorpus, type BuildRecord } from '../corpora.js';
import { count, duration, megabytes, seconds, type SectionResult, type Target } from '../report.js';
import { benchSettings, PROJECT_ROOT } from '../setup.js';
import { distributionOf, timeAsync, type Distribution } from '../stats.js';
import { DelegatingEmbedder } from '../../test/helpers/delegating-embedder.js';

export interface LifecycleOptions {
  embedder: Embedder;
  /** A corpus of about a thousand passages, built from nothing on every run. */
  buildCorpus: BenchCorpus;
  /** Seed first; re-indexing, cold start and memory are measured on each. */
  corpora: BenchCorpus[];
  /** How each corpus's cached index was first built (this run or an earlier one). */
  firstBuilds: Map<string, { build: BuildRecord | null; builtNow: boolean }>;
  quick: boolean;
}

interface ScaleLifecycle {
  scale: string;
  passages: number;
  reindexUnchanged: Distribution;
  reindexOneChanged: Distribution;
  coldStart: { wall: Distribution; imported: Distribution; opened: Distribution; runs: number };
  rssServingBytes: Distribution;
}

const COLD_START_QUESTIONS = 21;

/** Index lifecycle: build throughput against the model's, re-indexing, cold start and memory. */
export async function lifecycleSection(options: LifecycleOptions): Promise<SectionResult> {
  const { embedder, quick } = options;
  const throughput = await buildThroughput(embedder, options.buildCorpus, quick ? 2 : 3);
  const scales: ScaleLifecycle[] = [];
  for (const corpus of options.corpora) {
    process.stderr.write(`  lifecycle at ${corpus.label} scale\n`);
    scales.push(await measureScale(corpus, embedder, quick));
  }

  const seed = scales.find((scale) => scale.scale === 'seed');
  const targets: Target[] = [
    {
      what: 'everything beside embedding, in a full build',
      goal: '< 10% of build time',
      measured: `${percent(throughput.overhead)} (${count(throughput.passages)} passages)`,
      met: throughput.overhead.p50 < 0.1,
    },
  ];
  if (seed) {
    targets.push(
      { what: 're-index, nothing changed, seed scale, p50', goal: '≤ 1 s', measured: duration(seed.reindexUnchanged.p50), met: seed.reindexUnchanged.p50 <= 1000 },
      { what: 'cold start to first answer, seed scale, p50', goal: '≤ 2 s', measured: duration(seed.coldStart.wall.p50), met: seed.coldStart.wall.p50 <= 2000 },
      { what: 'resident memory serving, seed scale, p50', goal: '≤ 400 MB', measured: megabytes(seed.rssServingBytes.p50), met: seed.rssServingBytes.p50 <= 400 * 2 ** 20 },
    );
  }

  const firstBuildRows = [...options.firstBuilds].flatMap(([label, { build, builtNow }]) =>
    build === null
      ? []
      : [[`first build of the cached ${label} index${builtNow ? ' (this run)' : ` (earlier run, ${build.builtAt.slice(0, 10)})`}`, count(build.passages), seconds(build.durationMs), `${build.passagesPerSecond.toFixed(1)} passages/s`]],
  );
  const scaleLabel = (scale: ScaleLifecycle) => `${scale.scale} (${count(scale.passages)})`;
  return {
    key: 'lifecycle',
    figures: { throughput, firstBuilds: Object.fromEntries(options.firstBuilds), scales },
    targets,
    tables: [
      {
        title: 'Index build throughput',
        header: ['what', 'passages', 'time (p50)', 'throughput (p50)'],
        rows: [
          ['model alone: embedder.embedPassages', count(throughput.passages), seconds(throughput.embedding.p50), `${(throughput.passages / (throughput.embedding.p50 / 1000)).toFixed(1)} passages/s`],
          ['full build from nothing (CorpusEngine.open)', count(throughput.passages), seconds(throughput.build.p50), `${(throughput.passages / (throughput.build.p50 / 1000)).toFixed(1)} passages/s`],
          ['→ share of the build outside embedPassages', '', percent(throughput.overhead), ''],
          ['   of which: reading and hashing files', '', percent(throughput.overheadParts.reading), ''],
          ['   of which: chunking', '', percent(throughput.overheadParts.chunking), ''],
          ['     within chunking: the tokenizer counting tokens', '', percent(throughput.overheadParts.countingTokens), ''],
          ['   of which: HNSW graph, BM25, writing and checksums', '', percent(throughput.overheadParts.writing), ''],
          ...firstBuildRows,
        ],
        note:
          `Full build: read and hash files, chunk (the model's tokenizer counts tokens), embed, HNSW and BM25, write and ` +
          `checksum a new version. ${throughput.build.runs} runs of each, alternated. The share outside embedPassages is ` +
          'timed within each build (the time the build spent in embedPassages against its whole time), and so are its ' +
          'parts, each a share of the whole build (from the build\'s progress reports; the rest is embedding bookkeeping). ' +
          'The cached indexes are built once (first run) and reused; their first-build figures are shown as recorded then.',
      },
      {
        title: 'Index lifecycle',
        header: ['what', 'scale (passages)', 'p50', 'p99', 'runs'],
        rows: scales.flatMap((scale) => [
          ['re-index, nothing changed', scaleLabel(scale), ...timeCells(scale.reindexUnchanged)],
          ['re-index, one document changed', scaleLabel(scale), ...timeCells(scale.reindexOneChanged)],
          ['cold start: spawn → first answer', scaleLabel(scale), ...timeCells(scale.coldStart.wall)],
          ['  of which: Node + tsx + imports', scaleLabel(scale), ...timeCells(scale.coldStart.imported)],
          ['  of which: + model and index loaded', scaleLabel(scale), ...timeCells(scale.coldStart.opened)],
          ['resident memory serving (RSS)', scaleLabel(scale), megabytes(scale.rssServingBytes.p50), megabytes(scale.rssServingBytes.p99), String(scale.rssServingBytes.runs)],
        ]),
        note:
          'Cold start and memory are measured in child processes (node --import tsx, as `npm start` runs), the index ' +
          `files in the OS page cache; memory is the RSS after ${COLD_START_QUESTIONS} questions. "of which" rows are ` +
          'cumulative times since the child process started.',
      },
    ],
  };
}

/** A share's median, as a percentage. */
function percent(share: Distribution): string {
  return `${(share.p50 * 100).toFixed(1)}%`;
}

function timeCells(distribution: Distribution): string[] {
  return [duration(distribution.p50), duration(distribution.p99), String(distribution.runs)];
}

/** Where a build's time outside embedPassages goes: each part as a share of the whole build. */
interface OverheadParts {
  /** Start of the build to its first progress report: reading, decoding and hashing the files. */
  reading: Distribution;
  /** Splitting documents into passages, the model's tokenizer counting tokens included. */
  chunking: Distribution;
  /** The tokenizer's share of chunking: counting tokens to size passages. */
  countingTokens: Distribution;
  /** From the last embedding to the end: the HNSW graph, the BM25 index, writing and checksums. */
  writing: Distribution;
}

interface Throughput {
  passages: number;
  /** The same passages through embedder.embedPassages alone, in runs alternated with the builds. */
  embedding: Distribution;
  build: Distribution;
  /** Per build, the share of its time spent outside embedder.embedPassages. */
  overhead: Distribution;
  overheadParts: OverheadParts;
}

/** Adds up the time spent in passage embedding and in counting tokens, so a build can be split into the model and the rest. */
class TimedEmbedder extends DelegatingEmbedder {
  passageMs = 0;
  countingMs = 0;

  override async embedPassages(texts: string[]): Promise<Float32Array[]> {
    const started = performance.now();
    try {
      return await super.embedPassages(texts);
    } finally {
      this.passageMs += performance.now() - started;
    }
  }

  override countTokens(text: string): number {
    const started = performance.now();
    try {
      return super.countTokens(text);
    } finally {
      this.countingMs += performance.now() - started;
    }
  }
}

async function buildThroughput(embedder: Embedder, corpus: BenchCorpus, runs: number): Promise<Throughput> {
  process.stderr.write(`  build throughput (${runs} builds)\n`);
  const settings = benchSettings(corpus.corpusDir, corpus.indexDir);
  const timed = new TimedEmbedder(embedder);
  const build = async () => {
    await rm(corpus.indexDir, { recursive: true, force: true });
    timed.passageMs = 0;
    timed.countingMs = 0;
    // When each phase was first reported, in ms since the build started.
    const phaseStarts = new Map<IndexProgress['phase'], number>();
    const started = performance.now();
    const onProgress = ({ phase }: IndexProgress) => {
      if (!phaseStarts.has(phase)) phaseStarts.set(phase, performance.now() - started);
    };
    const engine = await CorpusEngine.open(settings, { embedder: timed, onProgress });
    const phase = (name: IndexProgress['phase']) => phaseStarts.get(name) ?? Number.NaN;
    return { engine, buildMs: performance.now() - started, phase };
  };
  const { engine } = await build();
  const directory = new IndexDirectory(corpus.indexDir);
  const index = await CorpusIndex.load(directory, engine.indexVersion, settings.index.hnsw.efSearch);
  const texts = [...index.passages.values()].map((passage) => passage.text);
  const samples = { build: [] as number[], embedding: [] as number[], overhead: [] as number[] };
  const parts = { reading: [] as number[], chunking: [] as number[], countingTokens: [] as number[], writing: [] as number[] };
  for (let run = 0; run < runs; run += 1) {
    const { buildMs, phase } = await build();
    samples.build.push(buildMs);
    // Measured inside the build itself, so a busy moment slows both parts alike.
    samples.overhead.push(1 - timed.passageMs / buildMs);
    parts.reading.push(phase('scanning') / buildMs);
    parts.chunking.push((phase('embedding') - phase('scanning')) / buildMs);
    parts.countingTokens.push(timed.countingMs / buildMs);
    parts.writing.push((buildMs - phase('writing')) / buildMs);
    const embeddingStarted = performance.now();
    await embedder.embedPassages(texts);
    samples.embedding.push(performance.now() - embeddingStarted);
  }
  return {
    passages: texts.length,
    embedding: distributionOf(samples.embedding),
    build: distributionOf(samples.build),
    overhead: distributionOf(samples.overhead),
    overheadParts: {
      reading: distributionOf(parts.reading),
      chunking: distributionOf(parts.chunking),
      countingTokens: distributionOf(parts.countingTokens),
      writing: distributionOf(parts.writing),
    },
  };
}

async function measureScale(corpus: BenchCorpus, embedder: Embedder, quick: boolean): Promise<ScaleLifecycle> {
  const { engine } = await openCorpus(corpus, embedder);
  const passages = engine.sources().reduce((sum, source) => sum + source.passages, 0);
  const large = passages > 50_000;
  // At 100k one re-index takes seconds and a changed one rewrites every file of the index (tens of
  // seconds): fewer runs and no warm-up there keep the whole benchmark within its time budget.
  const small = passages < 5_000;
  const reindexUnchanged = await timeAsync({ warmup: large ? 0 : 1, runs: large ? 3 : quick ? 5 : small ? 20 : 10 }, () => engine.reindex());

  // Every run changes the first document (in the loader's order): a sentence added that differs
  // per run, and on the last run its original text put back, which leaves the cached corpus as it was.
  const file = path.join(corpus.corpusDir, firstSource(engine));
  const original = await readFile(file, 'utf8');
  const plan = { warmup: large ? 0 : 1, runs: large ? 3 : quick ? 3 : small ? 10 : 5 };
  const last = plan.warmup + plan.runs - 1;
  let reindexOneChanged: Distribution;
  try {
    reindexOneChanged = await timeAsync(plan, async (run) => {
      await writeFile(file, run === last ? original : `${original}\nThe benchmark added this sentence on its run number ${run}.\n`);
      await engine.reindex();
    });
  } catch (error) {
    await writeFile(file, original);
    throw error;
  }

  const questions = corpus.questions.slice(0, COLD_START_QUESTIONS);
  const reports: Array<ColdStartReport & { wallMs: number }> = [];
  for (let run = 0; run < (large || quick ? 3 : 5); run += 1) {
    reports.push(await coldStart({ corpusDir: corpus.corpusDir, indexDir: corpus.indexDir, questions }));
  }
  return {
    scale: corpus.label,
    passages,
    reindexUnchanged,
    reindexOneChanged,
    coldStart: {
      wall: distributionOf(reports.map((report) => report.wallMs)),
      imported: distributionOf(reports.map((report) => report.importedMs)),
      opened: distributionOf(reports.map((report) => report.openedMs)),
      runs: reports.length,
    },
    rssServingBytes: distributionOf(reports.map((report) => report.rssServingBytes)),
  };
}

function firstSource(engine: CorpusEngine): string {
  const sources = engine.sources().map((source) => source.source).sort();
  if (sources[0] === undefined) throw new Error('The corpus has no documents');
  return sources[0];
}

/** Spawns a process that opens the engine and answers; its report plus the wall time from spawn to the first answer. */
function coldStart(request: ColdStartRequest): Promise<ColdStartReport & { wallMs: number }> {
  const spawnedAt = performance.timeOrigin + performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../child/cold-start.ts'), JSON.stringify(request)], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`cold-start child exited with ${code}: ${stderr.trim()}`));
      const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as ColdStartReport;
      if (report.rebuilt) return reject(new Error(`cold-start child rebuilt the index in ${request.indexDir} instead of loading it`));
      resolve({ ...report, wallMs: report.readyAt - spawnedAt });
    });
  });
}

