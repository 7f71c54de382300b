import path from 'node:path';
import { readEngineSettings } from '../engine/engine-settings.js';
import { formatBeirReport } from '../eval/beir-report.js';
import { runBeir } from '../eval/beir-run.js';
import type { RetrievalMode } from '../retrieval/types.js';
import { modesOption, parseOptions, terminalEvents } from './cli-options.js';
import { UsageError } from '../errors.js';
import { runMain } from '../run-main.js';

const USAGE =
  'Usage: npm run eval:beir -- [--split test|train|dev] [--modes lexical,dense,hybrid] [--no-declines] <BEIR dataset folder>';
// Abstracts in the index the decline check builds: "a few hundred", as a community's own corpus might be.
const DECLINE_SUBSET_SIZE = 300;
// The corpus files and index of each dataset live here between runs (git-ignored).
const WORK_ROOT = '.cache/beir';

/** The report lists the baselines first, then what combines them. */
const REPORT_ORDER: readonly RetrievalMode[] = ['lexical', 'dense', 'hybrid'];

runMain(async () => {
  const { values, positionals } = parseOptions(
    {
      allowPositionals: true,
      options: { split: { type: 'string', default: 'test' }, modes: { type: 'string' }, 'no-declines': { type: 'boolean', default: false } },
    },
    USAGE,
  );
  const [datasetDir] = positionals;
  if (datasetDir === undefined || positionals.length > 1) throw new UsageError(USAGE);
  if (!/^[\w-]+$/.test(values.split)) throw new UsageError(`--split names a qrels file (test, train, dev); got "${values.split}".`);

  const modes = modesOption('--modes', values.modes);
  const events = terminalEvents();
  const report = await runBeir({
    datasetDir,
    split: values.split,
    modes: REPORT_ORDER.filter((mode) => modes.includes(mode)),
    workDir: path.join(WORK_ROOT, path.basename(path.resolve(datasetDir))),
    env: process.env,
    baseDir: process.cwd(),
    declines: values['no-declines'] ? undefined : { seedsDir: readEngineSettings().index.corpusDir, subsetSize: DECLINE_SUBSET_SIZE },
    onProgress: events.onProgress,
    onWarning: events.onWarning,
  });
  events.done();
  process.stdout.write(`${formatBeirReport(report)}\n`);
});
