import type { BotDatabase } from './database.js';

/** A forum, whose new posts the bot answers, or a text channel, where `/ask thread:true` answers in a thread. */
export type CorpusChannelKind = 'text' | 'forum';

export interface CorpusChannel {
  channelId: string;
  kind: CorpusChannelKind;
  addedBy: string;
  addedAt: number;
}

/** The channels each server's moderators opted in (`/corpus-channels`); a server sees only its own. */
export class CorpusChannels {
  private readonly insert;
  private readonly delete;
  private readonly selectOne;
  private readonly selectAll;

  constructor(database: BotDatabase, private readonly now: () => number = Date.now) {
    this.insert = database.prepare(
      `INSERT INTO corpus_channels (guild_id, channel_id, kind, added_by, added_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (guild_id, channel_id) DO NOTHING`,
    );
    this.delete = database.prepare('DELETE FROM corpus_channels WHERE guild_id = ? AND channel_id = ?');
    this.selectOne = database.prepare('SELECT kind FROM corpus_channels WHERE guild_id = ? AND channel_id = ?');
    this.selectAll = database.prepare(
      `SELECT channel_id AS channelId, kind, added_by AS addedBy, added_at AS addedAt
       FROM corpus_channels WHERE guild_id = ? ORDER BY added_at, channel_id`,
    );
  }

  /** Opts a channel in; false if it already was. */
  add(guildId: string, channelId: string, kind: CorpusChannelKind, addedBy: string): boolean {
    return this.insert.run(guildId, channelId, kind, addedBy, this.now()).changes === 1;
  }

  /** Opts a channel out; false if it was not in. */
  remove(guildId: string, channelId: string): boolean {
    return this.delete.run(guildId, channelId).changes === 1;
  }

  /** What the channel is opted in as, or null. */
  kindOf(guildId: string, channelId: string): CorpusChannelKind | null {
    return (this.selectOne.get(guildId, channelId) as { kind: CorpusChannelKind } | undefined)?.kind ?? null;
  }

  list(guildId: string): CorpusChannel[] {
    return this.selectAll.all(guildId) as CorpusChannel[];
  }
}
