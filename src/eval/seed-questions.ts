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
  outOfCorpus: number;
  correctlyDeclined: number;
  wronglyDeclined: number;
  /** Questions with no hit in their results, for a person to look at. */
  misses: string[];
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

/** The 1-based rank of the first result that comes from an expected source and contains its text, or 0. */
export function firstHitRank(answer: Answer, expect: EvalQuestion['expect']): number {
  const index = answer.results.findIndex((result) =>
    expect.some((expected) => result.source === expected.source && result.passage.includes(expected.contains)),
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
    outOfCorpus: 0,
    correctlyDeclined: 0,
    wronglyDeclined: 0,
    misses: [],
  };
  for (const item of questions) {
    const answer = await search(item.question);
    if (item.outOfCorpus) {
      metrics.outOfCorpus += 1;
      if (!answer.answered) metrics.correctlyDeclined += 1;
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
  }
  const n = Math.max(1, metrics.inCorpus);
  return { ...metrics, hitAt1: metrics.hitAt1 / n, hitAt3: metrics.hitAt3 / n, mrr: metrics.mrr / n };
}
