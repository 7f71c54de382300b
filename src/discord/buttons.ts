import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { renderSources } from '../../commands/sources.js';
import { answerQuestion, slowDown } from './answer-question.js';
import type { BotContext, Outcome } from './bot-context.js';
import { decodeButtonId, type MoreResultsId } from './custom-ids.js';
import { questionFromFooter, renderPassage } from './render-answer.js';
import { replyInTime } from './reply-in-time.js';

async function privately(interaction: ButtonInteraction, content: string): Promise<void> {
  await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

async function moreResults(interaction: ButtonInteraction, bot: BotContext, id: MoreResultsId): Promise<Outcome> {
  const wait = bot.rateLimiter.take(interaction.user.id);
  if (wait > 0) {
    await interaction.reply({ ...slowDown(wait).message, flags: MessageFlags.Ephemeral });
    return { outcome: 'rate_limited' };
  }
  if (id.indexVersion !== bot.engine.indexVersion) {
    await privately(interaction, 'The documents were re-indexed since this answer, so its next results would not match. Please ask again.');
    return { outcome: 'stale' };
  }
  // The question is read back from the message the button is on, so this works after a restart.
  const question = questionFromFooter(interaction.message.embeds.at(-1)?.footer?.text);
  if (question === null) {
    await privately(interaction, 'I could not read the question of this answer. Please ask again.');
    return { outcome: 'unreadable' };
  }
  const sources = bot.engine.sources().map((info) => info.source).sort();
  const source = id.sourceIndex === null ? undefined : sources[id.sourceIndex];
  const work = answerQuestion(bot, { question, k: id.k, offset: id.offset, source, private: true });
  await replyInTime(interaction, work, { deferAfterMs: bot.settings.deferAfterMs, ephemeral: true });
  const { outcome, results } = await work;
  return { outcome, results };
}

/** Handles a click on one of this bot's buttons; the reply goes to whoever clicked. */
export async function handleButton(interaction: ButtonInteraction, bot: BotContext): Promise<Outcome> {
  const id = decodeButtonId(interaction.customId);
  switch (id?.kind) {
    case 'passage': {
      const view = bot.engine.passage(id.passageId);
      if (!view) {
        await privately(interaction, 'This passage is no longer in the index (its document changed or was removed). Please ask again.');
        return { outcome: 'stale' };
      }
      await interaction.reply({ ...renderPassage(view), flags: MessageFlags.Ephemeral });
      return { outcome: 'shown' };
    }
    case 'more':
      return moreResults(interaction, bot, id);
    case 'sources':
      await interaction.update(renderSources(bot, id.page));
      return { outcome: 'shown' };
    case undefined:
      await privately(interaction, 'This button is not one I know any more.');
      return { outcome: 'unknown_button' };
  }
}
