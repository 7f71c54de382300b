import type { Answer } from '../retrieval/types.js';

/** The CLI's `--json` contract: exactly these keys, in this order. */
export interface AnswerJson {
  question: string;
  answered: boolean;
  results: Array<{
    rank: number;
    source: string;
    title: string;
    url: string | null;
    location: string;
    score: number;
    quote: string;
    passage: string;
  }>;
}

export function answerToJson(answer: Answer): AnswerJson {
  return {
    question: answer.question,
    answered: answer.answered,
    results: answer.results.map(({ rank, source, title, url, location, score, quote, passage }) => ({
      rank,
      source,
      title,
      url,
      location,
      score,
      quote,
      passage,
    })),
  };
}
