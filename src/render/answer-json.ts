import type { Answer, Unstated } from '../retrieval/types.js';

/** The CLI's `--json` contract: exactly these keys, in this order. */
export interface AnswerJson {
  question: string;
  answered: boolean;
  /** Names in the question no document mentions (the reason for `answered: false`), else []. */
  notMentioned: string[];
  /** What the passages about the question do not state that it asks for (a count, a day, who holds a role, what someone said), else null. */
  unstated: Unstated | null;
  results: Array<{
    rank: number;
    source: string;
    title: string;
    url: string | null;
    location: string;
    score: number;
    quote: string;
    passage: string;
    /** Names in the question this passage does not mention. */
    missing: string[];
  }>;
}

export function answerToJson(answer: Answer): AnswerJson {
  return {
    question: answer.question,
    answered: answer.answered,
    notMentioned: answer.notMentioned,
    unstated: answer.unstated,
    results: answer.results.map(({ rank, source, title, url, location, score, quote, passage, missing }) => ({
      rank,
      source,
      title,
      url,
      location,
      score,
      quote,
      passage,
      missing,
    })),
  };
}
