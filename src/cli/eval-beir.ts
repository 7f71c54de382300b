import path from 'node:path';
import { parseArgs } from 'node:util';
import { readEngineSettings } from '../config/settings.js';
import { formatBeirReport } from '../eval/beir-report.js';
import { runBeir } from '../eval/beir-run.js';
import type { RetrievalMode } from '../retrieval/types.js';
import { progressPrinter } from '../render/index-progress.js';
import { printWarning, runCli, UsageError } from './run-cli.js';

const USAGE =
  'Usage: npm run eval:beir -- [--split test|train|dev] [--modes lexical,dense,hybrid] [--no-declines] <BEIR dataset folder>';
// Abstracts in the index the decline check builds: "a few hundred", as a community's own corpus might be.
const DECLINE_SUBSET_SIZE = 300;
const MODES: RetrievalMode[] = ['lexical', 'dense', 'hybrid'];
// The corpus files and index of each dataset live here between runs (git-ignored).
const WORK_ROOT = '.cache/beir';

function parseModes(value: string | undefined): RetrievalMode[] {
  if (value === undefined) return MODES;
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !MODES.some((mode) => mode === name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--modes takes a comma-separated list of ${MODES.join(', ')}; got "${value}".`);
  }
  return MODES.filter((mode) => names.includes(mode));
}

runCli(async () => {
  const { values, positionals } = (() => {
    try {
      return parseArgs({
        allowPositionals: true,
        options: { split: { type: 'string', default: 'test' }, modes: { type: 'string' }, 'no-declines': { type: 'boolean', default: false } },
      });
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\n${USAGE}`);
    }
  })();
  const [datasetDir] = positionals;
  if (datasetDir === undefined || positionals.length > 1) throw new UsageError(USAGE);
  if (!/^[\w-]+$/.test(values.split)) throw new UsageError(`--split names a qrels file (test, train, dev); got "${values.split}".`);

  const progress = progressPrinter();
  const report = await runBeir({
    datasetDir,
    split: values.split,
    modes: parseModes(values.modes),
    workDir: path.join(WORK_ROOT, path.basename(path.resolve(datasetDir))),
    env: process.env,
    baseDir: process.cwd(),
    declines: values['no-declines'] ? undefined : { seedsDir: readEngineSettings().index.corpusDir, subsetSize: DECLINE_SUBSET_SIZE },
    onProgress: progress.update,
    onWarning: (message) => {
      progress.done();
      printWarning(message);
    },
  });
  progress.done();
  process.stdout.write(`${formatBeirReport(report)}\n`);
});
