import { ChannelType, type Message, type ThreadChannel } from 'discord.js';
import { searchableText } from '../retrieval/question.js';
import { answerQuestion, MAX_RESULTS } from './answer-question.js';
import type { BotContext, Outcome } from './bot-context.js';
import { withinRateLimit } from './preconditions.js';

/** A message in a thread that the bot answers without being asked by command or mention. */
export interface ThreadQuestion {
  kind: 'forum_post' | 'follow_up';
  thread: ThreadChannel;
  /** The opted-in channel the thread belongs to. */
  channelId: string;
}

/**
 * Whether a guild message is one the bot answers on its own: the opening message of a new post
 * in an opted-in forum, or a follow-up in a thread the bot answers in whose channel is still
 * opted in. A follow-up addressed to someone else (a reply to, or a mention of, another person)
 * is people talking, and left alone.
 */
export function threadQuestionOf(message: Message<true>, bot: BotContext): ThreadQuestion | null {
  const thread = message.channel;
  if (!thread.isThread() || message.system || thread.parentId === null) return null;
  const parentId = thread.parentId;
  const isStarter = message.id === thread.id && thread.parent?.type === ChannelType.GuildForum;
  if (isStarter) return bot.channels.kindOf(message.guildId, parentId) === 'forum' ? { kind: 'forum_post', thread, channelId: parentId } : null;

  const channelId = bot.threads.channelOf(thread.id);
  if (channelId === null || bot.channels.kindOf(message.guildId, channelId) === null) return null;
  const botId = message.client.user.id;
  const repliedTo = message.mentions.repliedUser;
  if (repliedTo && repliedTo.id !== botId) return null;
  if (message.mentions.users.some((user) => user.id !== botId && user.id !== repliedTo?.id)) return null;
  return { kind: 'follow_up', thread, channelId };
}

/** Follow-ups in the thread are answered from now on; the database failing costs that, never the answer. */
export function keepAnswering(place: { thread: { id: string }; channelId: string }, guildId: string, bot: BotContext): void {
  try {
    bot.threads.answered(place.thread.id, guildId, place.channelId);
  } catch (error) {
    bot.logger.log('error', 'thread_not_recorded', { thread: place.thread.id, error });
  }
}

/** The text searched for: a forum post by its title and opening, a follow-up by its own words. */
function questionText(message: Message<true>, { kind, thread }: ThreadQuestion, maxChars: number): string {
  if (kind === 'follow_up') return searchableText(message.content, maxChars);
  const title = thread.name.trim();
  const joiner = /[.?!]$/u.test(title) ? ' ' : '. ';
  return searchableText(message.content.trim() === '' ? title : `${title}${joiner}${message.content}`, maxChars);
}

/**
 * Answers in the thread, in public (a thread has no private replies): quotes, or the "not
 * found" that tells the poster the documents don't say and a person is needed.
 */
export async function answerInThread(message: Message<true>, place: ThreadQuestion, bot: BotContext): Promise<Outcome> {
  const replyOptions = { allowedMentions: { parse: [] as [], repliedUser: false } };
  const refusal = withinRateLimit(bot, message.author.id);
  if (refusal) {
    await message.reply({ ...refusal.reply.message, ...replyOptions });
    return { outcome: refusal.outcome };
  }
  const question = questionText(message, place, bot.engine.maxQuestionChars);
  if (question === '') return { outcome: 'ignored_empty' };
  const reply = await answerQuestion(bot, {
    question,
    k: Math.min(bot.engine.defaultResults, MAX_RESULTS),
    offset: 0,
    private: false,
    guildId: message.guildId,
    origin: 'question',
  });
  // A forum post is answered in its thread; a follow-up as a reply, so it is clear which one.
  if (place.kind === 'forum_post') await place.thread.send(reply.message);
  else await message.reply({ ...reply.message, ...replyOptions });
  keepAnswering(place, message.guildId, bot);
  return { outcome: reply.outcome, results: reply.results };
}
