import { DiscordAPIError, MessageFlags, PermissionFlagsBits, RESTJSONErrorCodes, ThreadAutoArchiveDuration, channelMention, type ChatInputCommandInteraction } from 'discord.js';
import { answerQuestion, type QuestionRequest } from './answer-question.js';
import type { BotContext, Outcome } from './bot-context.js';
import { NO_MENTIONS, renderThreadStarter, threadName } from './render-answer.js';
import { replyInTime, type Reply } from './reply-in-time.js';
import { keepAnswering } from './thread-answers.js';

/** Why `/ask thread:true` cannot answer in a thread in this server channel, or null when it can. */
function threadRefusal(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, bot: BotContext, isPrivate: boolean): string | null {
  if (isPrivate) return 'A private answer cannot go in a thread, which everyone in the channel can read. Ask again with `private` or with `thread`, not both.';
  if (interaction.channel?.isThread()) return 'This is a thread already: ask without `thread` and the answer stays here.';
  if (bot.channels.kindOf(interaction.guildId, interaction.channelId) === 'text') return null;
  const open = bot.channels.list(interaction.guildId).filter((channel) => channel.kind === 'text');
  return (
    'Answers in threads are not turned on in this channel; moderators turn them on with `/corpus-channels add`.' +
    (open.length > 0 ? ` They are on in ${open.map((channel) => channelMention(channel.channelId)).join(', ')}.` : '')
  );
}

/** What the bot needs to answer in a thread it starts. */
const THREAD_PERMISSIONS = [PermissionFlagsBits.CreatePublicThreads, PermissionFlagsBits.SendMessagesInThreads];
const NOT_ALLOWED = new Set<number>([RESTJSONErrorCodes.MissingPermissions, RESTJSONErrorCodes.MissingAccess]);
const NEEDS_PERMISSIONS =
  'I could not answer in a thread here: I need the **Create Public Threads** and **Send Messages in Threads** permissions in this channel. The answer is above instead.';
const THREAD_FAILED = 'I could not start a thread for the answer (Discord refused it), so the answer is above instead.';

/**
 * Answers `/ask thread:true`: the channel gets the question, and a thread started on it gets
 * the answer, so follow-ups gather there. A "not found" stays private, with no thread. Where
 * the bot may not answer in a thread, or Discord refuses it, the answer is shown in the channel
 * instead, and the asker told why: the answer is never left behind.
 */
export async function askInThread(interaction: ChatInputCommandInteraction, request: QuestionRequest, bot: BotContext): Promise<Outcome> {
  const refuse = async (why: string): Promise<Outcome> => {
    await interaction.reply({ content: why, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return { outcome: 'thread_refused' };
  };
  if (!interaction.inGuild()) return refuse('Answers in threads are for server channels. Here, just ask without `thread`.');
  const refusal = threadRefusal(interaction, bot, request.private);
  if (refusal !== null) return refuse(refusal);

  const allowed = interaction.appPermissions.has(THREAD_PERMISSIONS);
  const work = answerQuestion(bot, request);
  const first = work.then((reply): Reply => (reply.outcome === 'answered' && allowed ? { message: renderThreadStarter(request.question), ephemeral: false } : reply));
  await replyInTime(interaction, first, { deferAfterMs: bot.settings.deferAfterMs, ephemeral: false });
  const answer = await work;
  if (answer.outcome !== 'answered') return { outcome: answer.outcome, results: answer.results };
  const instead = async (why: string): Promise<Outcome> => {
    await interaction.followUp({ content: why, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return { outcome: 'answered_without_thread', results: answer.results };
  };
  if (!allowed) return instead(NEEDS_PERMISSIONS);

  try {
    const question = await interaction.fetchReply();
    const thread = await question.startThread({ name: threadName(request.question), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    // Recorded before the answer goes in: a follow-up sent meanwhile is answered too.
    keepAnswering({ thread, channelId: interaction.channelId }, interaction.guildId, bot);
    await thread.send(answer.message);
  } catch (error) {
    bot.logger.log('warn', 'thread_failed', { channel: interaction.channelId, error });
    await interaction.editReply(answer.message);
    const refused = error instanceof DiscordAPIError && typeof error.code === 'number' && NOT_ALLOWED.has(error.code);
    return instead(refused ? NEEDS_PERMISSIONS : THREAD_FAILED);
  }
  return { outcome: 'answered_in_thread', results: answer.results };
}
