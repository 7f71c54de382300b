import type { BotDatabase } from './database.js';
import { oldestKept } from './retention.js';

/** An answer the bot sent, as its buttons need it: what was asked, of which index. */
export interface AnswerRecord {
  id: number;
  question: string;
  /** The `source` filter the question was asked with, or null for the whole corpus. */
  source: string | null;
  /** Results per page. */
  results: number;
  indexVersion: string;
  /** False for a "not found": what `/gaps` counts. */
  answered: boolean;
  /** The server it was asked in, or null in DMs. */
  guildId: string | null;
  /** A question someone asked, or the text of a message someone else wrote (Find sources). */
  origin: AnswerOrigin;
  createdAt: number;
}

export type AnswerOrigin = 'question' | 'message';

/**
 * The answers the bot has sent, kept for `retentionDays` (the bot prunes at start-up and hourly;
 * `find` never returns an older one meanwhile). A button carries an answer's id (Discord gives it
 * 100 characters), so it keeps working after a restart and whatever the message shows.
 */
export class AnswerLog {
  private readonly insert;
  private readonly select;
  private readonly prune;

  constructor(database: BotDatabase, private readonly retentionDays: number, private readonly now: () => number = Date.now) {
    this.insert = database.prepare(
      'INSERT INTO answers (question, source, results, index_version, answered, guild_id, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.select = database.prepare(
      `SELECT id, question, source, results, index_version AS indexVersion, answered, guild_id AS guildId, origin, created_at AS createdAt
       FROM answers WHERE id = ? AND created_at >= ?`,
    );
    this.prune = database.prepare('DELETE FROM answers WHERE created_at < ?');
  }

  record(answer: Omit<AnswerRecord, 'id' | 'createdAt'>): number {
    const { question, source, results, indexVersion, answered, guildId, origin } = answer;
    return Number(this.insert.run(question, source, results, indexVersion, answered ? 1 : 0, guildId, origin, this.now()).lastInsertRowid);
  }

  /** The answer, or null once it is older than the retention (or was never recorded). */
  find(id: number): AnswerRecord | null {
    const row = this.select.get(id, this.oldestKept()) as (Omit<AnswerRecord, 'answered'> & { answered: number }) | undefined;
    return row === undefined ? null : { ...row, answered: row.answered === 1 };
  }

  /** Deletes what is past the retention (votes go with their answers); returns how many answers went. */
  pruneExpired(): number {
    return this.prune.run(this.oldestKept()).changes;
  }

  /** When the oldest answer still kept was recorded, at the earliest. */
  oldestKept(): number {
    return oldestKept(this.now(), this.retentionDays);
  }
}
