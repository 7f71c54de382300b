import { ChannelType, type Message, type ThreadChannel } from 'discord.js';
import { searchableText } from '../retrieval/question.js';
import { answerQuestion, MAX_RESULTS } from './answer-question.js';
import type { BotContext, Outcome } from './bot-context.js';
import { withinRateLimit } from './preconditions.js';
import { REPLY_PINGS_NOBODY } from './render-answer.js';

/** A message in a thread that the bot answers without being asked by command or mention. */
export interface ThreadQuestion {
  kind: 'forum_post' | 'follow_up';
  thread: ThreadChannel;
  /** The opted-in channel the thread belongs to. */
  channelId: string;
}

// A follow-up is answered when it asks something: "thanks, that helps" gets no "not found".
const ASKS = /\?|^\W*(?:who|whom|whose|what|when|where|why|which|how|is|are|was|were|do|does|did|can|could|should|would|will|has|have|had|tell|explain|show|list|describe|give|find)\b/iu;

/**
 * Whether a guild message is one the bot answers on its own: the opening message of a new post
 * in an opted-in forum, or a follow-up question in a thread the bot answers in whose channel is
 * still opted in. A follow-up addressed to someone else (a reply to, or a mention of, another
 * person, a role or everyone) is people talking, and left alone.
 */
export function threadQuestionOf(message: Message<true>, bot: BotContext): ThreadQuestion | null {
  const thread = message.channel;
  if (!thread.isThread() || message.system || !thread.parentId) return null;
  const parentId = thread.parentId;
  const isStarter = message.id === thread.id && thread.parent?.type === ChannelType.GuildForum;
  if (isStarter) return bot.channels.kindOf(message.guildId, parentId) === 'forum' ? { kind: 'forum_post', thread, channelId: parentId } : null;

  const botId = message.client.user.id;
  const { mentions } = message;
  const addressed = (id: string) => id === botId || id === message.author.id;
  if (mentions.repliedUser && !addressed(mentions.repliedUser.id)) return null;
  if (mentions.everyone || mentions.roles.size > 0 || mentions.users.some((user) => !addressed(user.id) && user.id !== mentions.repliedUser?.id)) return null;
  const askedTheBot = mentions.users.has(botId) || mentions.repliedUser?.id === botId;
  if (!askedTheBot && !ASKS.test(withoutMentions(message.content))) return null;

  const channelId = bot.threads.channelOf(thread.id);
  if (channelId === null || bot.channels.kindOf(message.guildId, channelId) === null) return null;
  return { kind: 'follow_up', thread, channelId };
}

function withoutMentions(text: string): string {
  return text.replace(/<@[!&]?\d+>/gu, ' ');
}

/** The text searched for: a forum post by its title and opening, a follow-up by its own words. */
function questionText(message: Message<true>, { kind, thread }: ThreadQuestion, maxChars: number): string {
  const content = withoutMentions(message.content);
  if (kind === 'follow_up') return searchableText(content, maxChars);
  const title = thread.name.trim();
  const joiner = /[.?!]$/u.test(title) ? ' ' : '. ';
  return searchableText(content.trim() === '' ? title : `${title}${joiner}${content}`, maxChars);
}

/** Follow-ups in the thread are answered from now on; the database failing costs that, never the answer. */
export function keepAnswering(place: { thread: { id: string }; channelId: string }, guildId: string, bot: BotContext): void {
  try {
    bot.threads.answered(place.thread.id, guildId, place.channelId);
  } catch (error) {
    bot.logger.log('error', 'thread_not_recorded', { thread: place.thread.id, error });
  }
}

/**
 * Answers in the thread, in public (a thread has no private replies): quotes, or the "not
 * found" that tells the poster the documents don't say and a person is needed.
 */
export async function answerInThread(message: Message<true>, place: ThreadQuestion, bot: BotContext): Promise<Outcome> {
  // Recorded first: a follow-up sent while this answer is worked out is answered too.
  if (place.kind === 'forum_post') keepAnswering(place, message.guildId, bot);
  const refusal = withinRateLimit(bot, message.author.id);
  if (refusal) {
    await message.reply({ ...refusal.reply.message, allowedMentions: REPLY_PINGS_NOBODY });
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
  else await message.reply({ ...reply.message, allowedMentions: REPLY_PINGS_NOBODY });
  if (place.kind === 'follow_up') keepAnswering(place, message.guildId, bot);
  return { outcome: reply.outcome, results: reply.results };
}
