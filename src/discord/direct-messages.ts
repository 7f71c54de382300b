import type { Message } from 'discord.js';
import { answerQuestion } from './answer-question.js';
import type { BotContext, Outcome } from './bot-context.js';
import { withinRateLimit } from './preconditions.js';

const DEFAULT_RESULTS = 3;

/** A plain message in a DM with the bot is a question, answered as `/ask` would answer it. */
export async function answerDirectMessage(message: Message, bot: BotContext): Promise<Outcome> {
  const replyOptions = { allowedMentions: { parse: [] as [], repliedUser: false } };
  const refusal = withinRateLimit(bot, message.author.id);
  if (refusal) {
    await message.reply({ ...refusal.reply.message, ...replyOptions });
    return { outcome: refusal.outcome };
  }
  if (message.content.trim() === '') return { outcome: 'ignored_empty' };
  const reply = await answerQuestion(bot, { question: message.content, k: DEFAULT_RESULTS, offset: 0, private: false });
  await message.reply({ ...reply.message, ...replyOptions });
  return { outcome: reply.outcome, results: reply.results };
}
