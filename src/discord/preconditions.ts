import type { BotContext } from './bot-context.js';
import type { Reply } from './reply-in-time.js';
import { NO_MENTIONS } from './render-answer.js';

/** Why a handler does not run for this user now: the reply they get instead, and the log outcome. */
export interface Refusal {
  reply: Reply;
  outcome: string;
}

/**
 * A check that runs before a command's or a button's handler (Sapphire's preconditions): null
 * lets it run. Declared on the handler, run by the bot's router, so no handler repeats it.
 */
export type Precondition = (bot: BotContext, userId: string) => Refusal | null;

function slowDown(waitMs: number): Reply {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return {
    message: {
      content: `You're asking faster than I can keep up with — please wait ${seconds} s and try again.`,
      embeds: [],
      components: [],
      allowedMentions: NO_MENTIONS,
    },
    ephemeral: true,
  };
}

/** Each user may ask `RATE_LIMIT_QUESTIONS` per window; a question over it is told how long to wait. */
export const withinRateLimit: Precondition = (bot, userId) => {
  const wait = bot.rateLimiter.take(userId);
  return wait > 0 ? { reply: slowDown(wait), outcome: 'rate_limited' } : null;
};

/** The first refusal among `preconditions`, or null when all pass. */
export function firstRefusal(preconditions: readonly Precondition[] | undefined, bot: BotContext, userId: string): Refusal | null {
  for (const precondition of preconditions ?? []) {
    const refusal = precondition(bot, userId);
    if (refusal) return refusal;
  }
  return null;
}
