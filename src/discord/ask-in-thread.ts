import { DiscordAPIError, MessageFlags, RESTJSONErrorCodes, ThreadAutoArchiveDuration, channelMention, type ChatInputCommandInteraction } from 'discord.js';
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

/** Discord's refusals of a thread the bot may not start here (a permission taken away since the opt-in). */
const NOT_ALLOWED = new Set<number>([RESTJSONErrorCodes.MissingPermissions, RESTJSONErrorCodes.MissingAccess]);

/**
 * Answers `/ask thread:true`: the channel gets the question, and a thread started on it gets
 * the answer, so follow-ups gather there. A "not found" stays private, with no thread. If
 * Discord refuses the thread, the answer is shown in the channel instead, and the asker told why.
 */
export async function askInThread(interaction: ChatInputCommandInteraction, request: QuestionRequest, bot: BotContext): Promise<Outcome> {
  const refuse = async (why: string): Promise<Outcome> => {
    await interaction.reply({ content: why, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return { outcome: 'thread_refused' };
  };
  if (!interaction.inGuild()) return refuse('Answers in threads are for server channels. Here, just ask without `thread`.');
  const refusal = threadRefusal(interaction, bot, request.private);
  if (refusal !== null) return refuse(refusal);
  const work = answerQuestion(bot, request);
  const starter = work.then((reply): Reply => (reply.outcome === 'answered' ? { message: renderThreadStarter(request.question), ephemeral: false } : reply));
  await replyInTime(interaction, starter, { deferAfterMs: bot.settings.deferAfterMs, ephemeral: false });
  const answer = await work;
  if (answer.outcome !== 'answered') return { outcome: answer.outcome, results: answer.results };

  const question = await interaction.fetchReply();
  let thread;
  try {
    thread = await question.startThread({ name: threadName(request.question), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
  } catch (error) {
    if (!(error instanceof DiscordAPIError && typeof error.code === 'number' && NOT_ALLOWED.has(error.code))) throw error;
    await interaction.editReply(answer.message);
    await interaction.followUp({
      content: 'I could not start a thread in this channel (I need the **Create Public Threads** and **Send Messages in Threads** permissions here), so the answer is above instead.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return { outcome: 'answered_without_thread', results: answer.results };
  }
  await thread.send(answer.message);
  keepAnswering({ thread, channelId: interaction.channelId }, interaction.guildId, bot);
  return { outcome: 'answered_in_thread', results: answer.results };
}
