import { readFile } from 'node:fs/promises';
import type { Answer, RetrievalMode } from '../retrieval/types.js';

/** One line of a question file: what a user asks, and which passages would answer it. */
export interface EvalQuestion {
  question: string;
  expect: Array<{ source: string; contains: string }>;
  outOfCorpus: boolean;
}

export interface SeedMetrics {
  mode: RetrievalMode;
  inCorpus: number;
  hitAt1: number;
  hitAt3: number;
  /** Reciprocal rank of the first hit within the results returned (0 when none). */
  mrr: number;
  /** What the user reads: the expected answer inside the first result's quote, or one of the first three. */
  quoteAt1: number;
  quoteAt3: number;
  outOfCorpus: number;
  correctlyDeclined: number;
  wronglyDeclined: number;
  /** Questions with no hit in their results, for a person to look at. */
  misses: string[];
  /** Questions whose passage was found in the top three but whose quotes there leave the answer out. */
  quoteMisses: string[];
  /** Out-of-corpus questions that got an answer. */
  answeredOutOfCorpus: string[];
}

export async function readEvalQuestions(file: string): Promise<EvalQuestion[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  return lines.flatMap((line, i) => {
    if (line.trim() === '') return [];
    let parsed: Partial<EvalQuestion>;
    try {
      parsed = JSON.parse(line) as Partial<EvalQuestion>;
    } catch {
      throw new Error(`${file}:${i + 1} is not valid JSON.`);
    }
    if (typeof parsed.question !== 'string' || !Array.isArray(parsed.expect)) {
      throw new Error(`${file}:${i + 1} needs a "question" string and an "expect" list.`);
    }
    return [{ question: parsed.question, expect: parsed.expect, outOfCorpus: parsed.outOfCorpus === true }];
  });
}

/**
 * The 1-based rank of the first result that comes from an expected source and whose passage (or,
 * with `in: 'quote'`, whose quote, the part a user reads) holds the expected text; 0 if none.
 */
export function firstHitRank(answer: Answer, expect: EvalQuestion['expect'], where: 'passage' | 'quote' = 'passage'): number {
  const index = answer.results.findIndex((result) =>
    expect.some((expected) => result.source === expected.source && result[where].includes(expected.contains)),
  );
  return index + 1;
}

export async function evaluateSeedQuestions(
  questions: EvalQuestion[],
  mode: RetrievalMode,
  search: (question: string) => Promise<Answer>,
): Promise<SeedMetrics> {
  const metrics: SeedMetrics = {
    mode,
    inCorpus: 0,
    hitAt1: 0,
    hitAt3: 0,
    mrr: 0,
    quoteAt1: 0,
    quoteAt3: 0,
    outOfCorpus: 0,
    correctlyDeclined: 0,
    wronglyDeclined: 0,
    misses: [],
    quoteMisses: [],
    answeredOutOfCorpus: [],
  };
  for (const item of questions) {
    const answer = await search(item.question);
    if (item.outOfCorpus) {
      metrics.outOfCorpus += 1;
      if (!answer.answered) metrics.correctlyDeclined += 1;
      else metrics.answeredOutOfCorpus.push(item.question);
      continue;
    }
    if (item.expect.length === 0) continue;
    metrics.inCorpus += 1;
    if (!answer.answered) metrics.wronglyDeclined += 1;
    const rank = firstHitRank(answer, item.expect);
    if (rank === 1) metrics.hitAt1 += 1;
    if (rank >= 1 && rank <= 3) metrics.hitAt3 += 1;
    if (rank >= 1) metrics.mrr += 1 / rank;
    else metrics.misses.push(item.question);
    const quoteRank = firstHitRank(answer, item.expect, 'quote');
    if (quoteRank === 1) metrics.quoteAt1 += 1;
    if (quoteRank >= 1 && quoteRank <= 3) metrics.quoteAt3 += 1;
    else if (rank >= 1 && rank <= 3) metrics.quoteMisses.push(item.question);
  }
  const n = Math.max(1, metrics.inCorpus);
  return {
    ...metrics,
    hitAt1: metrics.hitAt1 / n,
    hitAt3: metrics.hitAt3 / n,
    mrr: metrics.mrr / n,
    quoteAt1: metrics.quoteAt1 / n,
    quoteAt3: metrics.quoteAt3 / n,
  };
}
