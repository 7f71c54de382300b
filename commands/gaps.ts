import {
  ApplicationIntegrationType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type APIEmbed,
} from 'discord.js';
import type { Gap } from '../src/feedback/gaps.js';
import type { BotCommand } from '../src/discord/bot-context.js';
import { LIMITS, truncate } from '../src/discord/discord-limits.js';
import { escapeForDiscord } from '../src/discord/escape.js';
import { moderatorRefusal } from '../src/discord/moderators.js';
import { NO_MENTIONS } from '../src/discord/render-answer.js';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 365;
const GAPS_SHOWN = 10;
const ALIKE_SHOWN = 3;

export const data = new SlashCommandBuilder()
  .setName('gaps')
  .setDescription('Questions the documents did not answer, most asked first (moderators)')
  .addIntegerOption((option) =>
    option.setName('days').setDescription(`How far back to look (default ${DEFAULT_DAYS})`).setMinValue(1).setMaxValue(MAX_DAYS),
  )
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);

function gapLine(gap: Gap, rank: number): string {
  const why = [gap.declined > 0 ? `not found ${gap.declined}×` : '', gap.downVotes > 0 ? `👎 ${gap.downVotes}` : ''].filter(Boolean).join(', ');
  const alike = gap.alike.slice(0, ALIKE_SHOWN).map((wording) => `“${escapeForDiscord(wording)}”`);
  const more = gap.alike.length > ALIKE_SHOWN ? ` and ${gap.alike.length - ALIKE_SHOWN} more` : '';
  return `${rank}. **${gap.count}×** “${escapeForDiscord(gap.question)}” — ${why}${alike.length > 0 ? `\n    also asked as ${alike.join(', ')}${more}` : ''}`;
}

/** The declined and voted-down questions of this server (of DMs, for owners), grouped by wording, so moderators know which documents to add. */
export const execute: BotCommand['execute'] = async (interaction, bot) => {
  const refused = moderatorRefusal(interaction, bot, 'Reading the gaps', 'gaps');
  const reply = (content: string, embeds: APIEmbed[] = []) =>
    interaction.reply({ content, embeds, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  if (refused) {
    await reply(refused);
    return { outcome: 'refused' };
  }
  if (!bot.settings.feedback) {
    await reply('Feedback is turned off (`FEEDBACK=false`): no declines or votes are recorded, so there are no gaps to show.');
    return { outcome: 'feedback_off' };
  }
  const days = interaction.options.getInteger('days') ?? DEFAULT_DAYS;
  const gaps = bot.gaps({ guildId: interaction.guildId, since: Date.now() - days * DAY_MS, limit: GAPS_SHOWN });
  const where = interaction.inGuild() ? 'in this server' : 'in direct messages';
  const kept = days > bot.settings.answerRetentionDays ? ` (questions are kept ${bot.settings.answerRetentionDays} days: ANSWER_RETENTION_DAYS)` : '';
  if (gaps.length === 0) {
    await reply(`No question asked ${where} in the last ${days} days went unanswered or was voted 👎${kept}.`);
    return { outcome: 'no_gaps', results: 0 };
  }
  const embed: APIEmbed = {
    title: `Questions the documents did not answer ${where}, last ${days} days`,
    description: truncate(gaps.map((gap, i) => gapLine(gap, i + 1)).join('\n'), LIMITS.embedDescription),
    footer: { text: `Not found: the bot declined. 👎: people voted the answer down. Add or fix the documents these ask about, then /reindex.${kept}` },
  };
  await reply('', [embed]);
  return { outcome: 'shown', results: gaps.length };
};
