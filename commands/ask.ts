import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder, MessageFlags, type ButtonInteraction } from 'discord.js';
import { answerQuestion, MAX_OPTION_CHARS, MAX_RESULTS, type QuestionRequest } from '../src/discord/answer-question.js';
import { askInThread } from '../src/discord/ask-in-thread.js';
import type { BotCommand, ButtonHandlers } from '../src/discord/bot-context.js';
import { documentChoices } from '../src/discord/document-choices.js';
import { withinRateLimit } from '../src/discord/preconditions.js';
import { NO_MENTIONS, renderPassage } from '../src/discord/render-answer.js';
import { replyInTime } from '../src/discord/reply-in-time.js';


export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question; get quoted extracts from the documents, with citations')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall)
  .addStringOption((option) =>
    option.setName('question').setDescription('What you want to know').setRequired(true).setMaxLength(MAX_OPTION_CHARS),
  )
  .addIntegerOption((option) =>
    option.setName('results').setDescription(`How many extracts (1–${MAX_RESULTS})`).setMinValue(1).setMaxValue(MAX_RESULTS),
  )
  .addStringOption((option) =>
    option.setName('source').setDescription('Search only this document').setAutocomplete(true),
  )
  .addBooleanOption((option) => option.setName('private').setDescription('Only you see the answer'))
  .addBooleanOption((option) => option.setName('thread').setDescription('Answer in a new thread (in channels moderators opted in)'));

export const preconditions = [withinRateLimit];

export const execute: BotCommand['execute'] = async (interaction, bot) => {
  const source = interaction.options.getString('source') ?? undefined;
  if (source !== undefined && !bot.engine.sources(interaction.guildId).some((info) => info.source === source)) {
    await interaction.reply({
      content: 'That document is not in the index. Pick one from the list, or see `/sources`.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
    return { outcome: 'unknown_source' };
  }
  const isPrivate = interaction.options.getBoolean('private') ?? false;
  const request: QuestionRequest = {
    question: interaction.options.getString('question', true),
    k: interaction.options.getInteger('results') ?? Math.min(bot.engine.defaultResults, MAX_RESULTS),
    offset: 0,
    source,
    private: isPrivate,
    guildId: interaction.guildId,
    origin: 'question',
  };
  if (interaction.options.getBoolean('thread') ?? false) return askInThread(interaction, request, bot);
  const work = answerQuestion(bot, request);
  const reply = await replyInTime(interaction, work, { deferAfterMs: bot.settings.deferAfterMs, ephemeral: isPrivate });
  const { outcome, results } = await work;
  return { outcome: reply.ephemeral && outcome === 'answered' ? 'answered_privately' : outcome, results };
};

/** Suggests indexed documents whose title or file name contains what has been typed. */
export const autocomplete: NonNullable<BotCommand['autocomplete']> = async (interaction, bot) => {
  await interaction.respond(documentChoices(bot.engine.sources(interaction.guildId), interaction.options.getFocused(), { label: (info) => info.title }));
};

function privately(interaction: ButtonInteraction, content: string): Promise<unknown> {
  return interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

const VOTE_REPLIES = {
  recorded: { up: 'Thanks — your 👍 is recorded.', down: 'Thanks — your 👎 is recorded. Moderators see poorly answered questions with `/gaps`.' },
  changed: { up: 'Your vote on this answer is now 👍.', down: 'Your vote on this answer is now 👎.' },
  unchanged: { up: 'You had already voted 👍 on this answer.', down: 'You had already voted 👎 on this answer.' },
} as const;

/** The buttons under an answer: the whole passage of a result, the next page of results, and 👍/👎. */
export const buttons: ButtonHandlers = {
  passage: {
    async run(interaction, id, bot) {
      const view = await bot.engine.passage(id.passageId);
      if (!view) {
        await privately(interaction, 'This passage is no longer in the index (its document changed or was removed). Please ask again.');
        return { outcome: 'stale' };
      }
      await interaction.reply({ ...renderPassage(view), flags: MessageFlags.Ephemeral });
      return { outcome: 'shown' };
    },
  },
  more: {
    preconditions: [withinRateLimit],
    async run(interaction, id, bot) {
      const asked = bot.answers.find(id.answerId);
      if (asked === null) {
        await privately(interaction, 'This answer is too old for more results. Please ask again.');
        return { outcome: 'expired' };
      }
      if (asked.indexVersion !== bot.engine.indexVersion) {
        await privately(interaction, 'The documents were re-indexed since this answer, so its next results would not match. Please ask again.');
        return { outcome: 'stale' };
      }
      const work = answerQuestion(bot, {
        question: asked.question,
        k: asked.results,
        offset: id.offset,
        source: asked.source ?? undefined,
        private: true,
        answerId: asked.id,
        guildId: asked.guildId,
        origin: asked.origin,
      });
      await replyInTime(interaction, work, { deferAfterMs: bot.settings.deferAfterMs, ephemeral: true });
      const { outcome, results } = await work;
      return { outcome, results };
    },
  },
  vote: {
    async run(interaction, id, bot) {
      if (!bot.settings.feedback) {
        await privately(interaction, 'Votes are turned off for this bot.');
        return { outcome: 'feedback_off' };
      }
      if (bot.answers.find(id.answerId) === null) {
        await privately(interaction, 'This answer is too old to vote on.');
        return { outcome: 'expired' };
      }
      // One vote per person per answer: a second click replaces the first.
      const outcome = bot.votes.vote(id.answerId, interaction.user.id, id.vote === 'up' ? 1 : -1);
      await privately(interaction, VOTE_REPLIES[outcome][id.vote]);
      return { outcome: `vote_${outcome}` };
    },
  },
};
