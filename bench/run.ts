/**
 * `npm run bench [-- --quick] [--out PATH] [--only query,ann,lifecycle,bot,shards,postgres,formats]`: measures the
 * query path, the ANN index at scale, the index lifecycle, the bot under load, the bot as two shards, the PostgreSQL
 * backend beside the index folder and indexing a 200-page PDF; prints the figures
 * as Markdown tables and writes them as JSON (bench/results.json by default).
 *
 * The first run writes the SciFact-based corpora and builds their indexes (and the 1M-vector
 * graph) under .cache/bench/; that takes far longer than later runs, which reuse them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openCorpus, scifactCorpus, seedCorpus, type BenchCorpus, type BuildRecord } from './corpora.js';
import { renderTable, seconds, targetsTable, type SectionResult } from './report.js';
import { annSection } from './sections/ann.js';
import { botBurstSection } from './sections/bot-burst.js';
import { formatsSection } from './sections/formats.js';
import { lifecycleSection } from './sections/lifecycle.js';
import { queryPathSection } from './sections/query-path.js';
import { postgresSection } from './sections/postgres.js';
import { shardsSection } from './sections/shards.js';
import { benchSettings, BENCH_MODEL, loadBenchEmbedder, PROJECT_ROOT } from './setup.js';

const SECTIONS = ['query', 'ann', 'lifecycle', 'bot', 'shards', 'postgres', 'formats'] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = `Usage: npm run bench -- [--quick] [--out PATH] [--only ${SECTIONS.join(',')}]`;

interface Options {
  quick: boolean;
  out: string;
  only: ReadonlySet<Section>;
}

function parseArgs(args: string[]): Options {
  const options: Options = { quick: false, out: path.join(PROJECT_ROOT, 'bench', 'results.json'), only: new Set(SECTIONS) };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--out' && args[i + 1] !== undefined) options.out = path.resolve(args[++i]!);
    else if (arg === '--only' && args[i + 1] !== undefined) {
      const names = args[++i]!.split(',');
      const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
      if (unknown.length > 0) usageError(`unknown section ${unknown.join(', ')}`);
      options.only = new Set(names as Section[]);
    } else usageError(`unexpected argument ${arg}`);
  }
  return options;
}

function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    loadAverage: os.loadavg(),
  };
}

/** Opens each corpus once so its index exists (the first run builds it) and keeps how that build went. */
async function prepare(corpora: BenchCorpus[], embedder: Awaited<ReturnType<typeof loadBenchEmbedder>>) {
  const builds = new Map<string, { build: BuildRecord | null; builtNow: boolean }>();
  for (const corpus of corpora) {
    const { build, builtNow } = await openCorpus(corpus, embedder);
    if (builtNow) process.stderr.write(`  built the ${corpus.label} index: ${build!.passages} passages in ${seconds(build!.durationMs)}\n`);
    builds.set(corpus.label, { build, builtNow });
  }
  return builds;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const before = machine();
  process.stderr.write(`Corpus Bot benchmark (${options.quick ? 'quick' : 'full'}), model ${BENCH_MODEL}\n`);
  const embedder = await loadBenchEmbedder();
  const seed = await seedCorpus(embedder);
  const corpora = [seed, await scifactCorpus('10k', 10_000, embedder)];
  if (!options.quick) corpora.push(await scifactCorpus('100k', 100_000, embedder));
  // The bot section needs only the seed index; the query and lifecycle sections need every scale.
  const needsAll = (['query', 'lifecycle', 'postgres'] as const).some((section) => options.only.has(section));
  const needed = needsAll ? corpora : options.only.has('bot') || options.only.has('shards') ? [seed] : [];
  if (needed.length > 0) process.stderr.write('preparing corpora and indexes (the first run builds them; see README)\n');
  const firstBuilds = await prepare(needed, embedder);

  const results: SectionResult[] = [];
  const run = async (section: Section, measure: () => Promise<SectionResult>) => {
    if (!options.only.has(section)) return;
    process.stderr.write(`${section}\n`);
    const sectionStarted = performance.now();
    results.push(await measure());
    process.stderr.write(`${section} done in ${seconds(performance.now() - sectionStarted)}\n`);
  };
  await run('query', async () => {
    return queryPathSection({ embedder, floorQuestions: seed.questions, corpora, quick: options.quick });
  });
  await run('ann', () => annSection({ quick: options.quick, defaults: benchSettings(seed.corpusDir, seed.indexDir).index.hnsw }));
  await run('lifecycle', async () => {
    const buildCorpus = options.quick ? await scifactCorpus('300', 300, embedder) : await scifactCorpus('1k', 1_000, embedder);
    return lifecycleSection({ embedder, buildCorpus, corpora, firstBuilds, quick: options.quick });
  });
  await run('bot', () => botBurstSection({ embedder, seed, quick: options.quick }));
  await run('shards', () => shardsSection({ seed, quick: options.quick }));
  await run('postgres', () => postgresSection({ embedder, corpora, quick: options.quick }));
  await run('formats', () => formatsSection({ embedder, quick: options.quick }));

  const after = machine();
  const targets = results.flatMap((result) => result.targets);
  const durationMs = performance.now() - started;
  const header =
    `Corpus Bot benchmark, ${options.quick ? 'quick' : 'full'} run, ${new Date().toISOString()}: ${after.cpus} × ${after.cpuModel}, ` +
    `${(after.memoryBytes / 2 ** 30).toFixed(0)} GB, Node ${after.node}, model ${BENCH_MODEL}. Load average (1 min) ` +
    `${before.loadAverage[0]!.toFixed(2)} at start, ${after.loadAverage[0]!.toFixed(2)} at end; run took ${seconds(durationMs)}.\n`;
  const tables = [...results.flatMap((result) => result.tables), targetsTable(targets)];
  process.stdout.write(`\n${header}\n${tables.map(renderTable).join('\n')}`);

  const json = {
    generatedAt: new Date().toISOString(),
    quick: options.quick,
    model: BENCH_MODEL,
    durationMs,
    machine: { ...after, loadAverageAtStart: before.loadAverage },
    sections: Object.fromEntries(results.map((result) => [result.key, result.figures])),
    targets,
  };
  await mkdir(path.dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify(json, jsonValue, 1)}\n`);
  process.stderr.write(`figures written to ${path.relative(process.cwd(), options.out) || options.out}\n`);
}

/** Maps and NaN have no JSON form of their own. */
function jsonValue(_key: string, value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
