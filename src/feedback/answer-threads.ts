import type { BotDatabase } from './database.js';
import { oldestKept } from './retention.js';

/**
 * The threads the bot answered in (a forum post, a thread it started for `/ask thread:true`),
 * whose follow-up messages it answers too. A thread quiet for `retentionDays` is forgotten.
 */
export class AnswerThreads {
  private readonly upsert;
  private readonly select;
  private readonly prune;

  constructor(database: BotDatabase, private readonly retentionDays: number, private readonly now: () => number = Date.now) {
    this.upsert = database.prepare(
      `INSERT INTO answer_threads (thread_id, guild_id, channel_id, active_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (thread_id) DO UPDATE SET active_at = excluded.active_at`,
    );
    this.select = database.prepare('SELECT channel_id AS channelId FROM answer_threads WHERE thread_id = ? AND active_at >= ?');
    this.prune = database.prepare('DELETE FROM answer_threads WHERE active_at < ?');
  }

  /** Records that the bot answered in `threadId` (of opted-in channel `channelId`) now. */
  answered(threadId: string, guildId: string, channelId: string): void {
    this.upsert.run(threadId, guildId, channelId, this.now());
  }

  /** The opted-in channel of a thread the bot answers in, or null for any other thread. */
  channelOf(threadId: string): string | null {
    return (this.select.get(threadId, oldestKept(this.now(), this.retentionDays)) as { channelId: string } | undefined)?.channelId ?? null;
  }

  pruneExpired(): number {
    return this.prune.run(oldestKept(this.now(), this.retentionDays)).changes;
  }
}
