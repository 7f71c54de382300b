import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  MessageFlags,
} from 'discord.js';
import { searchableText } from '../src/retrieval/question.js';
import { answerQuestion, MAX_RESULTS } from '../src/discord/answer-question.js';
import type { MessageCommand } from '../src/discord/bot-context.js';
import { withinRateLimit } from '../src/discord/preconditions.js';
import { NO_MENTIONS } from '../src/discord/render-answer.js';
import { replyInTime } from '../src/discord/reply-in-time.js';

/**
 * Right-click any message → Apps → Find sources: quotes from the documents relevant to what the
 * message says, shown only to whoever asked, so its author is neither pinged nor shown up.
 */
export const kind = 'message';

export const data = new ContextMenuCommandBuilder()
  .setName('Find sources')
  .setType(ApplicationCommandType.Message)
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall);

export const preconditions = [withinRateLimit];

export const execute: MessageCommand['execute'] = async (interaction, bot) => {
  // Discord includes the target message's text in the interaction, Message Content intent or not.
  const question = searchableText(interaction.targetMessage.content, bot.engine.maxQuestionChars);
  if (question === '') {
    await interaction.reply({
      content: 'That message has no text to find sources for (only attachments, embeds or stickers).',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return { outcome: 'no_text' };
  }
  const work = answerQuestion(bot, { question, k: Math.min(bot.engine.defaultResults, MAX_RESULTS), offset: 0, private: true, guildId: interaction.guildId, origin: 'message' });
  await replyInTime(interaction, work, { deferAfterMs: bot.settings.deferAfterMs, ephemeral: true });
  const { outcome, results } = await work;
  return { outcome: outcome === 'answered' ? 'answered_privately' : outcome, results };
};
