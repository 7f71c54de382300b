/**
 * Run in a fresh process by the lifecycle benchmark: opens the engine on a persisted index, answers
 * one question (ready), then more, and prints one JSON line of timings and memory. A child process
 * makes the cold start and the resident memory real: nothing is loaded or cached beforehand.
 */
import { CorpusEngine } from '../../src/engine/corpus-engine.js';
import { benchSettings } from '../setup.js';

export interface ColdStartRequest {
  corpusDir: string;
  indexDir: string;
  questions: string[];
}

export interface ColdStartReport {
  /** Epoch milliseconds when the first answer was ready (the parent subtracts its spawn time). */
  readyAt: number;
  /** Since the process started: modules imported, engine open (model and index loaded), first answer. */
  importedMs: number;
  openedMs: number;
  readyMs: number;
  rebuilt: boolean;
  rssReadyBytes: number;
  /** After the further questions: the memory the engine holds while serving. */
  rssServingBytes: number;
  heapUsedBytes: number;
}

const importedMs = performance.now();
const request = JSON.parse(process.argv[2] ?? '{}') as ColdStartRequest;
const engine = await CorpusEngine.open(benchSettings(request.corpusDir, request.indexDir));
const openedMs = performance.now();
await engine.search(request.questions[0]!);
const readyMs = performance.now();
const rssReadyBytes = process.memoryUsage().rss;
for (const question of request.questions.slice(1)) await engine.search(question);
const report: ColdStartReport = {
  readyAt: performance.timeOrigin + readyMs,
  importedMs,
  openedMs,
  readyMs,
  rebuilt: engine.openingBuild !== null,
  rssReadyBytes,
  rssServingBytes: process.memoryUsage().rss,
  heapUsedBytes: process.memoryUsage().heapUsed,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
