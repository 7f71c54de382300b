import { readEngineSettings } from '../engine/engine-settings.js';
import { CorpusEngine } from '../engine/corpus-engine.js';
import { describeSummary } from '../render/index-progress.js';
import { terminalEvents } from './cli-options.js';
import { runMain } from '../run-main.js';

runMain(async () => {
  const events = terminalEvents();
  const engine = await CorpusEngine.open(readEngineSettings(), events);
  const summary = engine.openingBuild ?? (await engine.reindex(events));
  events.done();
  process.stdout.write(`${describeSummary(summary)}\n`);
});
