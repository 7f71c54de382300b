import type { BotDatabase } from './database.js';

export type Vote = 1 | -1;

/** What a click did: a first vote, a changed one, or the same vote again. */
export type VoteOutcome = 'recorded' | 'changed' | 'unchanged';

/** 👍/👎 on answers: one vote per user per answer, which a later click replaces. */
export class VoteLog {
  private readonly current;
  private readonly upsert;

  constructor(database: BotDatabase, private readonly now: () => number = Date.now) {
    this.current = database.prepare('SELECT vote FROM votes WHERE answer_id = ? AND user_id = ?');
    this.upsert = database.prepare(
      `INSERT INTO votes (answer_id, user_id, vote, voted_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (answer_id, user_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at`,
    );
  }

  /** Records `userId`'s vote on an answer recorded in the `AnswerLog` (a foreign key: an unknown answer throws). */
  vote(answerId: number, userId: string, vote: Vote): VoteOutcome {
    const before = (this.current.get(answerId, userId) as { vote: Vote } | undefined)?.vote;
    this.upsert.run(answerId, userId, vote, this.now());
    if (before === undefined) return 'recorded';
    return before === vote ? 'unchanged' : 'changed';
  }
}
