import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Env } from '../config/env.js';
import { InvalidQuestionError } from '../errors.js';
import { readEngineSettings } from '../engine/engine-settings.js';
import { CorpusEngine } from '../engine/corpus-engine.js';
import { writeBeirCorpus } from './beir-corpus.js';
import type { BeirDataset, BeirDocument } from './beir-dataset.js';

/**
 * Does "not found" travel? Two checks of the decline rules as users meet them (default mode,
 * calibrated thresholds, names the corpus never mentions), on questions of another field:
 *
 * - **against the seeds**: every query of the split asked of the project's own corpus (news about
 *   elections), which answers none of them: all should be declined;
 * - **in a subset**: an index of a few hundred abstracts, holding the judged answers of the first
 *   half of the queries and other abstracts besides. Those queries should be answered; the other
 *   half, whose answers are not in the subset, are questions of the same field the index cannot
 *   answer: as many as possible should be declined.
 */
export interface DeclineCount {
  queries: number;
  declined: number;
}

export interface DeclineReport {
  againstSeeds: DeclineCount & { corpusDir: string };
  subset: { documents: number; answerable: DeclineCount; unanswerable: DeclineCount };
}

export interface DeclineOptions {
  dataset: BeirDataset;
  /** The project's corpus the queries are asked of first (the seeds). */
  seedsDir: string;
  /** Where the subset's files and both indexes are kept between runs. */
  workDir: string;
  env: Env;
  baseDir: string;
  subsetSize: number;
}

// As users search, except that a long query is searched as it is and no answer is remembered.
const QUERY_SETTINGS: Env = { MAX_QUESTION_CHARS: '100000', QUERY_CACHE_SIZE: '0' };

async function countDeclined(engine: CorpusEngine, questions: readonly string[]): Promise<DeclineCount> {
  let declined = 0;
  for (const question of questions) {
    try {
      if (!(await engine.search(question)).answered) declined += 1;
    } catch (error) {
      if (!(error instanceof InvalidQuestionError)) throw error;
      declined += 1;
    }
  }
  return { queries: questions.length, declined };
}

function open(options: DeclineOptions, corpusDir: string, indexName: string): Promise<CorpusEngine> {
  const env = { ...options.env, ...QUERY_SETTINGS, CORPUS_DIR: corpusDir, INDEX_DIR: path.join(options.workDir, indexName) };
  return CorpusEngine.open(readEngineSettings(env, options.baseDir));
}

/** A stable pseudo-random order of documents that does not depend on how the corpus file is sorted. */
function shuffleKey(id: string): string {
  return createHash('sha1').update(id).digest('hex');
}

export async function measureDeclines(options: DeclineOptions): Promise<DeclineReport> {
  const { dataset } = options;
  const judged = dataset.queries.filter((query) => (dataset.qrels.get(query.id)?.size ?? 0) > 0);
  const half = Math.ceil(judged.length / 2);
  const answerable = judged.slice(0, half);
  const relevant = (queryId: string) => [...dataset.qrels.get(queryId)!].filter(([, grade]) => grade > 0).map(([id]) => id);
  const goldIds = new Set(answerable.flatMap((query) => relevant(query.id)));
  const size = Math.max(goldIds.size, options.subsetSize);
  const others = dataset.corpus
    .filter((document) => !goldIds.has(document.id))
    .sort((x, y) => (shuffleKey(x.id) < shuffleKey(y.id) ? -1 : 1))
    .slice(0, size - goldIds.size);
  const subset: BeirDocument[] = [...dataset.corpus.filter((document) => goldIds.has(document.id)), ...others];
  const inSubset = new Set(subset.map((document) => document.id));
  const unanswerable = judged.slice(half).filter((query) => !relevant(query.id).some((id) => inSubset.has(id)));

  const seeds = await open(options, options.seedsDir, 'seeds-index');
  const againstSeeds = await countDeclined(seeds, judged.map((query) => query.text));

  const subsetDir = path.join(options.workDir, 'subset-corpus');
  await writeBeirCorpus(subset, subsetDir);
  const engine = await open(options, subsetDir, 'subset-index');
  return {
    againstSeeds: { ...againstSeeds, corpusDir: options.seedsDir },
    subset: {
      documents: subset.length,
      answerable: await countDeclined(engine, answerable.map((query) => query.text)),
      unanswerable: await countDeclined(engine, unanswerable.map((query) => query.text)),
    },
  };
}

export function formatDeclines({ againstSeeds, subset }: DeclineReport): string {
  const share = ({ declined, queries }: DeclineCount) => `${declined}/${queries} (${((100 * declined) / Math.max(1, queries)).toFixed(1)}%)`;
  return [
    'Declines as users meet them (default mode, calibrated "not found", names the corpus never mentions):',
    `  asked of ${againstSeeds.corpusDir} (answers none): declined ${share(againstSeeds)}`,
    `  an index of ${subset.documents} of these abstracts: wrongly declined ${share(subset.answerable)} of the queries it answers,`,
    `    declined ${share(subset.unanswerable)} of the queries whose answers it does not hold`,
  ].join('\n');
}
