/** A hit of a ranked search: a passage id and its score. */
export interface ScoredHit {
  id: number;
  score: number;
}

/**
 * Keeps the best `capacity` hits in a binary heap whose root is the worst kept hit
 * (lowest score; among equal scores, highest id).
 */
export class TopHits {
  readonly #ids: number[] = [];
  readonly #scores: number[] = [];

  constructor(readonly capacity: number) {}

  /** Whether a hit would be kept, so callers can skip costly checks for hits that would not. */
  accepts(id: number, score: number): boolean {
    if (this.#ids.length < this.capacity) return this.capacity > 0;
    return worse(this.#scores[0]!, this.#ids[0]!, score, id);
  }

  push(id: number, score: number): void {
    const ids = this.#ids;
    const scores = this.#scores;
    if (ids.length < this.capacity) {
      let i = ids.length;
      ids.push(id);
      scores.push(score);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(score, id, scores[parent]!, ids[parent]!)) break;
        ids[i] = ids[parent]!;
        scores[i] = scores[parent]!;
        i = parent;
      }
      ids[i] = id;
      scores[i] = score;
      return;
    }
    // Replace the root and sift down.
    let i = 0;
    const n = ids.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && worse(scores[right]!, ids[right]!, scores[child]!, ids[child]!)) child = right;
      if (!worse(scores[child]!, ids[child]!, score, id)) break;
      ids[i] = ids[child]!;
      scores[i] = scores[child]!;
      i = child;
    }
    ids[i] = id;
    scores[i] = score;
  }

  sorted(): ScoredHit[] {
    return this.#ids
      .map((id, i) => ({ id, score: this.#scores[i]! }))
      .sort((x, y) => y.score - x.score || x.id - y.id);
  }
}

/** Whether hit (scoreA, idA) ranks below hit (scoreB, idB). */
function worse(scoreA: number, idA: number, scoreB: number, idB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && idA > idB);
}

