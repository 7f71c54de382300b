import { readEngineSettings } from '../config/settings.js';
import { CorpusEngine } from '../engine/corpus-engine.js';
import { describeSummary, progressPrinter } from '../render/index-progress.js';
import { printWarning, runCli } from './run-cli.js';

runCli(async () => {
  const progress = progressPrinter();
  const warn = (message: string) => {
    progress.done();
    printWarning(message);
  };
  const engine = await CorpusEngine.open(readEngineSettings(), { onProgress: progress.update, onWarning: warn });
  const summary = engine.openingBuild ?? (await engine.reindex({ onProgress: progress.update, onWarning: warn }));
  progress.done();
  process.stdout.write(`${describeSummary(summary)}\n`);
});
