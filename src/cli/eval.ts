import { readEngineSettings } from '../engine/engine-settings.js';
import { CorpusEngine } from '../engine/corpus-engine.js';
import { describeDocumentShare } from '../engine/document-share.js';
import { evaluateSeedQuestions, readEvalQuestions, type SeedMetrics } from '../eval/seed-questions.js';
import { modesOption, parseOptions, resultsOption } from './cli-options.js';
import { UsageError } from '../errors.js';
import { printWarning, runMain } from '../run-main.js';

const USAGE = 'Usage: npm run eval -- [--mode hybrid|dense|lexical] [--results N] [--verbose] questions.jsonl';
// Enough results for MRR to see a hit below the third place.
const DEFAULT_RESULTS = 10;

function row(metrics: SeedMetrics, isDefault: boolean): string {
  const cells = [
    `${metrics.mode}${isDefault ? ' (default)' : ''}`.padEnd(18),
    metrics.hitAt1.toFixed(3).padStart(6),
    metrics.hitAt3.toFixed(3).padStart(6),
    metrics.mrr.toFixed(3).padStart(6),
    metrics.quoteAt1.toFixed(3).padStart(7),
    metrics.quoteAt3.toFixed(3).padStart(7),
    `${metrics.correctlyDeclined}/${metrics.outOfCorpus}`.padStart(9),
    `${metrics.wronglyDeclined}/${metrics.inCorpus}`.padStart(9),
  ];
  return cells.join('  ');
}

runMain(async () => {
  const { values, positionals } = parseOptions(
    {
      allowPositionals: true,
      options: { mode: { type: 'string' }, results: { type: 'string' }, verbose: { type: 'boolean', default: false } },
    },
    USAGE,
  );
  const [file] = positionals;
  if (file === undefined || positionals.length > 1) throw new UsageError(USAGE);
  const modes = modesOption('--mode', values.mode);
  if (values.mode !== undefined && modes.length !== 1) throw new UsageError(`--mode takes one mode; got "${values.mode}".`);
  const k = resultsOption(values.results) ?? DEFAULT_RESULTS;

  const questions = await readEvalQuestions(file);
  const settings = readEngineSettings();
  const engine = await CorpusEngine.open(settings, { onWarning: (message) => printWarning(message) });
  const calibration = await engine.calibration();
  const thresholds = modes.map((mode) => {
    if (mode === 'lexical') return `lexical ${settings.retrieval.minConfidence.lexical} (set)`;
    const set = settings.retrieval.minConfidence[mode];
    const { threshold, nullMedian, nullQ90, questions: nulls } = calibration[mode];
    return set !== undefined
      ? `${mode} ${set} (set)`
      : `${mode} ${threshold.toFixed(3)} (calibrated: ${nulls} null questions, median ${nullMedian.toFixed(3)}, q90 ${nullQ90.toFixed(3)})`;
  });
  const lines = [
    `${questions.length} questions from ${file}; hits counted in the top ${k} results.`,
    `"Not found" below: ${thresholds.join('; ')}.`,
    describeDocumentShare(engine.documentShare),
    '',
    `${'mode'.padEnd(18)}  ${'hit@1'.padStart(6)}  ${'hit@3'.padStart(6)}  ${'MRR'.padStart(6)}  ${'quote@1'.padStart(7)}  ${'quote@3'.padStart(7)}  ${'declined'.padStart(9)}  ${'wrongly'.padStart(9)}`,
    `${''.padEnd(18)}  ${''.padStart(6)}  ${''.padStart(6)}  ${''.padStart(6)}  ${''.padStart(7)}  ${''.padStart(7)}  ${'(out)'.padStart(9)}  ${'declined'.padStart(9)}`,
  ];
  const misses: string[] = [];
  for (const mode of modes) {
    const metrics = await evaluateSeedQuestions(questions, mode, (question) => engine.search(question, { mode, k }));
    lines.push(row(metrics, mode === settings.retrieval.mode));
    if (values.verbose) {
      misses.push(
        ...metrics.misses.map((question) => `  ${mode}: no hit for “${question}”`),
        ...metrics.quoteMisses.map((question) => `  ${mode}: passage found, answer not quoted, for “${question}”`),
        ...metrics.answeredOutOfCorpus.map((question) => `  ${mode}: answered out-of-corpus “${question}”`),
      );
    }
  }
  process.stdout.write(`${[...lines, ...(misses.length ? ['', 'Misses:', ...misses] : [])].join('\n')}\n`);
});
