import { NULL_QUESTIONS } from './null-questions.js';

/**
 * Where "not found" begins for one model over one corpus. A model's similarity scale is its own
 * (use-lite puts unrelated texts near 0.1, bge-small near 0.5), and a corpus shifts it too, so a
 * fixed threshold set on one pair does not travel. Instead every index is scored with questions
 * about everyday things it is almost surely not about (`NULL_QUESTIONS`), and the threshold is
 * set as far above their typical best confidence as their spread reaches:
 *
 *   threshold = q90 + ½ · (q90 − q50)   of the null questions' best confidences
 *
 * Quantiles rather than the maximum, so that a corpus about one of those everyday things (a
 * cookbook answering the egg question) moves the threshold little. Half the spread, not all of
 * it: on an index of 300 SciFact abstracts a whole spread wrongly declined 15% of the questions
 * they answer (½: 9%), while on the seed corpus both decline every out-of-corpus question and no
 * in-corpus one (README, "Calibration").
 */
export interface Calibration {
  threshold: number;
  /** The null questions' best confidences: median and 90th percentile. */
  nullMedian: number;
  nullQ90: number;
  questions: number;
}

const SPREAD_ABOVE_Q90 = 0.5;

function quantile(sorted: readonly number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export async function calibrate(bestConfidence: (question: string) => Promise<number>): Promise<Calibration> {
  const scores: number[] = [];
  for (const question of NULL_QUESTIONS) scores.push(await bestConfidence(question));
  scores.sort((x, y) => x - y);
  const nullMedian = quantile(scores, 0.5);
  const nullQ90 = quantile(scores, 0.9);
  return { threshold: nullQ90 + SPREAD_ABOVE_Q90 * (nullQ90 - nullMedian), nullMedian, nullQ90, questions: scores.length };
}
