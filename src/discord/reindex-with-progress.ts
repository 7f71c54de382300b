import { DiscordAPIError, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { IndexProgress } from '../indexing/index-types.js';
import { describeProgress, describeSummary } from '../render/index-progress.js';
import type { BotContext, Outcome } from './bot-context.js';

/** Discord allows an edit of the same message about once a second before rate limiting it. */
const PROGRESS_EDIT_INTERVAL_MS = 1000;
/**
 * An interaction token can edit its reply for 15 minutes; a re-index can take longer. Past this
 * (a minute of margin), or once Discord says the token is gone, the result goes another way.
 */
const TOKEN_USABLE_MS = 14 * 60_000;
const INVALID_WEBHOOK_TOKEN = 50027;

/**
 * Re-indexes for a moderator's command, showing progress in its private reply (deferred here
 * unless the command already did) and then what changed. `heading` goes before every line of
 * it ("Added lighthouse.txt.\n"). The caller has checked who may, and that none is running.
 */
export async function reindexWithProgress(interaction: ChatInputCommandInteraction, bot: BotContext, heading = ''): Promise<Outcome> {
  // Started before the first await, so a second /reindex arriving meanwhile sees it running.
  let latest: IndexProgress | null = null;
  let shown: IndexProgress | null = null;
  let lastEdit = 0;
  let editing: Promise<unknown> = Promise.resolve();
  let deferred = false;
  let tokenExpired = false;
  const tokenUsable = () => !tokenExpired && Date.now() - interaction.createdTimestamp < TOKEN_USABLE_MS;
  const noteExpiry = (error: unknown) => {
    if (error instanceof DiscordAPIError && error.code === INVALID_WEBHOOK_TOKEN) tokenExpired = true;
  };
  const showProgress = () => {
    if (!deferred || !tokenUsable() || latest === shown || Date.now() - lastEdit < PROGRESS_EDIT_INTERVAL_MS) return;
    shown = latest;
    lastEdit = Date.now();
    const text = `${heading}Re-indexing… ${describeProgress(latest!)}`;
    editing = editing.then(() => interaction.editReply({ content: text })).catch((error: unknown) => {
      noteExpiry(error);
      bot.logger.log('warn', 'reindex_progress_edit_failed', { error });
    });
  };
  // Settled (and a failure logged) whatever happens to the reply: if deferring fails, the
  // re-index still runs to its end and must not become an unhandled rejection.
  const settled = bot.engine
    .reindex({
      onProgress: (progress) => {
        latest = progress;
        showProgress();
      },
    })
    .then(
      (summary) => ({ summary }),
      (error: unknown) => {
        bot.logger.log('error', 'reindex_failed', { user: interaction.user.id, error });
        return { error };
      },
    );
  if (!interaction.deferred) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  deferred = true;
  lastEdit = Date.now();
  const result = await settled;
  await editing;
  const verdict =
    'summary' in result
      ? { text: `${heading}Re-index done.\n${describeSummary(result.summary)}`, failed: false }
      : {
          text: `${heading}Re-index failed: ${result.error instanceof Error ? result.error.message : String(result.error)}\nThe previous index is still answering questions.`,
          failed: true,
        };
  await report(interaction, bot, verdict, tokenUsable);
  if ('summary' in result) {
    return { outcome: result.summary.changed ? 'reindexed' : 'unchanged', results: result.summary.passages.total };
  }
  return { outcome: 'failed' };
}

/**
 * Puts the verdict where the moderator will see it: in the private reply while its token
 * works; after that (a re-index longer than Discord's 15 minutes) in a direct message, and if
 * their DMs are closed, in the channel the command came from.
 */
async function report(
  interaction: ChatInputCommandInteraction,
  bot: BotContext,
  verdict: { text: string; failed: boolean },
  tokenUsable: () => boolean,
): Promise<void> {
  const quiet = { allowedMentions: { parse: [] } };
  if (tokenUsable()) {
    try {
      await interaction.editReply({ content: verdict.text, ...quiet });
      return;
    } catch (error) {
      // Whatever stopped the edit (an expired token, the reply deleted, Discord down for a
      // moment), the moderator still gets the result another way.
      bot.logger.log('warn', 'reindex_reply_failed', { user: interaction.user.id, error });
    }
  }
  const late = `Your /${interaction.commandName}${interaction.inGuild() ? ` in <#${interaction.channelId}>` : ''} outlived its reply, so here is its result.`;
  try {
    await interaction.user.send({ content: `${late}\n${verdict.text}`, ...quiet });
    bot.logger.log('info', 'reindex_reported', { user: interaction.user.id, via: 'dm' });
    return;
  } catch (error) {
    bot.logger.log('warn', 'reindex_dm_failed', { user: interaction.user.id, error });
  }
  if (!interaction.channel?.isSendable()) {
    throw new Error('The /reindex result could not be delivered: its reply failed, DMs are closed and the channel is unavailable.');
  }
  // In public, a failure's reason (it may name paths on the server) stays in the bot's log.
  const text = verdict.failed ? 'Re-index failed; the previous index is still answering questions. The reason is in the bot’s log.' : verdict.text;
  await interaction.channel.send({
    content: `<@${interaction.user.id}>: ${late}\n${text}`,
    allowedMentions: { users: [interaction.user.id] },
  });
  bot.logger.log('info', 'reindex_reported', { user: interaction.user.id, via: 'channel' });
}
