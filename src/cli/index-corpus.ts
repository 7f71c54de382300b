import { readEngineSettings } from '../config/settings.js';
import { CorpusEngine } from '../engine/corpus-engine.js';
import { describeSummary, progressPrinter } from '../render/index-progress.js';
import { runCli } from './run-cli.js';

runCli(async () => {
  const progress = progressPrinter();
  const warn = (message: string) => {
    progress.done();
    process.stderr.write(`warning: ${message}\n`);
  };
  const engine = await CorpusEngine.open(readEngineSettings(), { onProgress: progress.update, onWarning: warn });
  const summary = engine.openingBuild ?? (await engine.reindex({ onProgress: progress.update, onWarning: warn }));
  progress.done();
  process.stdout.write(`${describeSummary(summary)}\n`);
});
