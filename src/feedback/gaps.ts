import { analyze } from '../lexical/analyzer.js';
import type { BotDatabase } from './database.js';

/** Questions asked alike that the documents did not answer to the askers' satisfaction. */
export interface Gap {
  /** The wording asked most often in the group. */
  question: string;
  /** How many answers the group holds: declines plus answered questions voted 👎. */
  count: number;
  declined: number;
  downVotes: number;
  /** Other wordings in the group, most asked first. */
  alike: string[];
  lastAskedAt: number;
}

export interface GapQuery {
  /** The server whose questions are read; null for questions asked in DMs. */
  guildId: string | null;
  since: number;
  limit: number;
}

interface GapRow {
  question: string;
  asked: number;
  declined: number;
  down: number;
  lastAskedAt: number;
}

// Two wordings are one question when they share this much of their analysed words (Jaccard):
// "What did the CIA say about Iran?" and "what did the cia say about iran's hackers" do, a
// question about another subject does not.
const SAME_QUESTION = 0.5;

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}

// Distinct wordings grouped at most: the most asked, so /gaps stays quick on a busy server.
const MAX_WORDINGS = 2000;

/**
 * The most frequent gaps of a server since a time: declined questions and answers voted down,
 * grouped by similar wording (their analysed words, as the index reads them), most frequent first.
 * Only questions people asked: the text of a message someone asked sources for is its author's,
 * who never asked the bot anything.
 */
export function findGaps(database: BotDatabase, { guildId, since, limit }: GapQuery): Gap[] {
  // One row per wording, counted in the database; only the grouping of wordings is done here.
  const rows = database
    .prepare(
      `SELECT question, COUNT(*) AS asked, SUM(answered = 0) AS declined, SUM(down) AS down, MAX(created_at) AS lastAskedAt
       FROM (SELECT a.question, a.answered, a.created_at, COALESCE(SUM(v.vote = -1), 0) AS down
             FROM answers a LEFT JOIN votes v ON v.answer_id = a.id
             WHERE a.created_at >= ? AND a.guild_id IS ? AND a.origin = 'question'
             GROUP BY a.id
             HAVING a.answered = 0 OR down > 0)
       GROUP BY question
       ORDER BY asked DESC, lastAskedAt DESC
       LIMIT ?`,
    )
    .all(since, guildId, MAX_WORDINGS) as GapRow[];
  const groups: Array<{ terms: Set<string>; wordings: Map<string, number>; declined: number; downVotes: number; count: number; lastAskedAt: number }> = [];
  for (const row of rows) {
    const terms = new Set(analyze(row.question));
    let group = groups.find((candidate) => jaccard(candidate.terms, terms) >= SAME_QUESTION);
    if (!group) {
      group = { terms, wordings: new Map(), declined: 0, downVotes: 0, count: 0, lastAskedAt: 0 };
      groups.push(group);
    }
    group.wordings.set(row.question, row.asked);
    group.count += row.asked;
    group.declined += row.declined;
    group.downVotes += row.down;
    group.lastAskedAt = Math.max(group.lastAskedAt, row.lastAskedAt);
  }
  return groups
    .sort((a, b) => b.count - a.count || b.lastAskedAt - a.lastAskedAt)
    .slice(0, limit)
    .map(({ wordings, count, declined, downVotes, lastAskedAt }) => {
      const [question, ...alike] = [...wordings.entries()].sort((a, b) => b[1] - a[1]).map(([wording]) => wording);
      return { question: question!, count, declined, downVotes, alike, lastAskedAt };
    });
}
