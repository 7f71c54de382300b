import type { Message } from 'discord.js';
import { answerQuestion, MAX_RESULTS } from './answer-question.js';
import type { BotContext, Outcome } from './bot-context.js';
import { withinRateLimit } from './preconditions.js';
import { REPLY_PINGS_NOBODY } from './render-answer.js';

/** A plain message in a DM with the bot is a question, answered as `/ask` would answer it. */
export async function answerDirectMessage(message: Message, bot: BotContext): Promise<Outcome> {
  const replyOptions = { allowedMentions: REPLY_PINGS_NOBODY };
  const refusal = withinRateLimit(bot, message.author.id);
  if (refusal) {
    await message.reply({ ...refusal.reply.message, ...replyOptions });
    return { outcome: refusal.outcome };
  }
  if (message.content.trim() === '') return { outcome: 'ignored_empty' };
  const k = Math.min(bot.engine.defaultResults, MAX_RESULTS);
  const reply = await answerQuestion(bot, { question: message.content, k, offset: 0, private: false, guildId: null, origin: 'question' });
  await message.reply({ ...reply.message, ...replyOptions });
  return { outcome: reply.outcome, results: reply.results };
}
