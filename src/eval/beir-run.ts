import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Env } from '../config/env.js';
import { InvalidQuestionError } from '../errors.js';
import { readEngineSettings, type EngineSettings } from '../engine/engine-settings.js';
import { CorpusEngine } from '../engine/corpus-engine.js';
import type { DocumentShare } from '../engine/document-share.js';
import type { IndexProgress } from '../indexing/index-types.js';
import type { RetrievalMode } from '../retrieval/types.js';
import { documentIdOf, writeBeirCorpus } from './beir-corpus.js';
import { measureDeclines, type DeclineReport } from './beir-declines.js';
import { loadBeirDataset } from './beir-dataset.js';
import { evaluate, passagesToDocumentRanking, type ScoredDocument } from './beir-metrics.js';

/**
 * Evaluates the engine on a BEIR dataset exactly as it serves questions: the corpus is written as
 * files, indexed by `CorpusEngine`, and every judged query goes through `engine.search`.
 */

export interface BeirRunOptions {
  datasetDir: string;
  split: string;
  modes: readonly RetrievalMode[];
  /** Holds the corpus files and the index built from them, reused by later runs. */
  workDir: string;
  /** The settings as configured (model, fusion weights, …); evaluation overrides only what it must. */
  env: Env;
  /** What relative paths in `env` are resolved against. */
  baseDir: string;
  onProgress?: (progress: IndexProgress) => void;
  onWarning?: (message: string) => void;
  /** Also measure declines (see `beir-declines.ts`): the project corpus to ask, and the subset's size. */
  declines?: { seedsDir: string; subsetSize: number };
}

export interface IndexingReport {
  /** False when the index of an earlier run was reused; the figures are then that build's. */
  builtNow: boolean;
  wallMs: number;
  passagesEmbedded: number;
  documentsIndexed: number;
}

export interface ModeReport {
  mode: RetrievalMode;
  /** nDCG, Recall and MRR at 10 and 100, keyed as `evaluate` names them. */
  metrics: Record<string, number>;
  queriesPerSecond: number;
  medianMs: number;
  /** Queries the engine refused as unsearchable (e.g. nothing but punctuation); they score 0. */
  refused: number;
}

export interface BeirReport {
  dataset: string;
  split: string;
  model: string;
  documents: number;
  passages: number;
  queries: number;
  documentShare: DocumentShare;
  /** Passages asked of each search: enough to rank 100 documents. */
  passagesPerQuery: number;
  indexing: IndexingReport | null;
  modes: ModeReport[];
  declines: DeclineReport | null;
}

/** Documents ranked per query: the deepest cutoff of the metrics. */
export const DOCUMENTS_PER_QUERY = 100;
// Each signal's candidates. Abstracts split into about five passages each, and the best passages
// of a query cluster in few documents: 300 passages reach 100 distinct documents for all but
// queries that match fewer documents than that at all (SciFact test: 1 of 300).
const CANDIDATES = 300;

/**
 * Evaluation ranks the whole candidate list: the confidence rules that decide whether a user gets
 * an answer (the thresholds, and declining a question about a name no document mentions) would
 * otherwise cut rankings short of their cutoffs. A long query (BEIR has
 * argument-length ones) is searched as it is rather than refused. No query cache: a mode would
 * reuse the embeddings of the mode before, and query times would not be those of a new question.
 */
const EVALUATION_SETTINGS: Env = {
  MIN_CONFIDENCE_DENSE: '-1',
  MIN_CONFIDENCE_LEXICAL: '0',
  MIN_CONFIDENCE_HYBRID: '-1',
  MIN_SCORE_RATIO: '0',
  DECLINE_UNMENTIONED: 'false',
  RETRIEVAL_CANDIDATES: String(CANDIDATES),
  MAX_QUESTION_CHARS: '100000',
  QUERY_CACHE_SIZE: '0',
};

/** A build's figures, kept beside its index. */
interface IndexingRecord {
  indexVersion: string;
  figures: Omit<IndexingReport, 'builtNow'>;
}

export async function runBeir(options: BeirRunOptions): Promise<BeirReport> {
  const { datasetDir, split, modes, workDir, env, baseDir } = options;
  const dataset = await loadBeirDataset(datasetDir, split);
  const corpusDir = path.resolve(baseDir, workDir, 'corpus');
  await writeBeirCorpus(dataset.corpus, corpusDir);

  const model = readEngineSettings(env, baseDir).model.model;
  // One index per model, so comparing models does not rebuild the other's index each time.
  const indexDir = path.resolve(baseDir, workDir, 'index', slug(model));
  const settings = readEngineSettings({ ...env, ...EVALUATION_SETTINGS, CORPUS_DIR: corpusDir, INDEX_DIR: indexDir }, baseDir);
  const indexing = await openIndexed(settings, indexDir, options);
  const { engine } = indexing;

  // Hybrid ranks the union of both signals' candidates.
  const passagesPerQuery = 2 * settings.retrieval.candidates;
  const reports: ModeReport[] = [];
  for (const mode of modes) {
    const run = new Map<string, ScoredDocument[]>();
    const latencies: number[] = [];
    let refused = 0;
    const started = performance.now();
    for (const query of dataset.queries) {
      const queryStarted = performance.now();
      try {
        const answer = await engine.search(query.text, { mode, k: passagesPerQuery });
        const passages = answer.results.map((result) => ({ docId: documentIdOf(result.source), score: result.score }));
        run.set(query.id, byPosition(passagesToDocumentRanking(passages).slice(0, DOCUMENTS_PER_QUERY)));
      } catch (error) {
        if (!(error instanceof InvalidQuestionError)) throw error;
        refused += 1;
      }
      latencies.push(performance.now() - queryStarted);
    }
    const seconds = (performance.now() - started) / 1000;
    reports.push({
      mode,
      metrics: evaluate(dataset.qrels, run, [10, DOCUMENTS_PER_QUERY]),
      queriesPerSecond: dataset.queries.length / seconds,
      medianMs: median(latencies),
      refused,
    });
  }

  const declines = options.declines
    ? await measureDeclines({ dataset, ...options.declines, workDir: path.resolve(baseDir, workDir, 'declines', slug(model)), env, baseDir })
    : null;
  const sources = engine.sources();
  return {
    dataset: path.basename(path.resolve(baseDir, datasetDir)),
    split,
    model,
    documents: sources.length,
    passages: sources.reduce((sum, source) => sum + source.passages, 0),
    queries: dataset.queries.length,
    passagesPerQuery,
    documentShare: engine.documentShare,
    indexing: indexing.report,
    modes: reports,
    declines,
  };
}

/**
 * Opens the engine on the written corpus, bringing its index up to date, and times the build.
 * A build's figures are kept beside the index, so a run that reuses it can still report them.
 */
async function openIndexed(
  settings: EngineSettings,
  indexDir: string,
  { onProgress, onWarning }: BeirRunOptions,
): Promise<{ engine: CorpusEngine; report: IndexingReport | null }> {
  const recordFile = `${indexDir}.indexing.json`;
  const started = performance.now();
  const engine = await CorpusEngine.open(settings, { onProgress, onWarning });
  // Opening reuses an index on disk without reading the corpus; re-indexing checks it is current.
  const summary = engine.openingBuild ?? (await engine.reindex({ onProgress, onWarning }));
  const previous = await readRecord(recordFile);
  // A version that embedded nothing (its vectors carried over: a removal, a rewrite of an older
  // index) keeps the figures of the build that embedded them.
  if (summary.changed && summary.passages.embedded === 0 && previous !== null) {
    await writeRecord(recordFile, { indexVersion: summary.version, figures: previous.figures });
    return { engine, report: { builtNow: false, ...previous.figures } };
  }
  if (summary.changed) {
    const figures = {
      wallMs: performance.now() - started,
      passagesEmbedded: summary.passages.embedded,
      documentsIndexed: summary.documents.added.length + summary.documents.changed.length,
    };
    await writeRecord(recordFile, { indexVersion: summary.version, figures });
    return { engine, report: { builtNow: true, ...figures } };
  }
  const report = previous?.indexVersion === engine.indexVersion ? { builtNow: false, ...previous.figures } : null;
  return { engine, report };
}

function writeRecord(file: string, record: IndexingRecord): Promise<void> {
  return writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
}

async function readRecord(file: string): Promise<IndexingRecord | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as IndexingRecord;
  } catch {
    return null;
  }
}

/**
 * Scores that keep the engine's order. Result scores are rounded for display, and metrics break
 * score ties by document id, which would reorder documents the engine ranked apart.
 */
function byPosition(documents: readonly ScoredDocument[]): ScoredDocument[] {
  return documents.map(({ docId }, i) => ({ docId, score: documents.length - i }));
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A folder name for a model id or path ("../shared/models/use-lite" → "use-lite"). */
function slug(model: string): string {
  return path.basename(model).replace(/[^A-Za-z0-9._-]+/g, '_') || 'model';
}
