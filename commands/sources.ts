import {
  ActionRowBuilder,
  ApplicationIntegrationType,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type MessageActionRowComponentBuilder,
} from 'discord.js';
import type { BotCommand, BotContext, ButtonHandlers } from '../src/discord/bot-context.js';
import { encodeButtonId } from '../src/discord/custom-ids.js';
import { LIMITS, truncate } from '../src/discord/discord-limits.js';
import { escapeForDiscord, inlineCode, isLinkable } from '../src/discord/escape.js';
import { NO_MENTIONS, type RenderedMessage } from '../src/discord/render-answer.js';

const PER_PAGE = 10;

export const data = new SlashCommandBuilder()
  .setName('sources')
  .setDescription('List the documents I answer from')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall);

/** One page of the documents a server (null: a DM) is answered from, with buttons to the neighbouring pages. */
function renderSources(bot: BotContext, server: string | null, requestedPage: number): RenderedMessage {
  const sources = bot.engine.sources(server).sort((a, b) => a.source.localeCompare(b.source));
  const pages = Math.max(1, Math.ceil(sources.length / PER_PAGE));
  const page = Math.min(Math.max(0, requestedPage), pages - 1);
  const lines = sources.slice(page * PER_PAGE, (page + 1) * PER_PAGE).map((info, i) => {
    const title = escapeForDiscord(truncate(info.title, 200));
    const linked = isLinkable(info.url) ? `[${title}](${info.url})` : title;
    return `**${page * PER_PAGE + i + 1}.** ${linked}\n${inlineCode(info.source)} · ${info.passages} passages`;
  });
  const embed = new EmbedBuilder()
    .setTitle(`Indexed documents (${sources.length})`)
    .setDescription(truncate(lines.join('\n'), LIMITS.embedDescription))
    .setFooter({ text: `Page ${page + 1} of ${pages}` });
  const components: RenderedMessage['components'] = [];
  if (pages > 1) {
    components.push(
      new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
        new ButtonBuilder().setCustomId(encodeButtonId({ kind: 'sources', page: Math.max(0, page - 1) })).setLabel('Previous').setStyle(ButtonStyle.Secondary).setDisabled(page === 0),
        new ButtonBuilder().setCustomId(encodeButtonId({ kind: 'sources', page: Math.min(pages - 1, page + 1) })).setLabel('Next').setStyle(ButtonStyle.Secondary).setDisabled(page === pages - 1),
      ),
    );
  }
  return { embeds: [embed.toJSON()], components, allowedMentions: NO_MENTIONS };
}

export const execute: BotCommand['execute'] = async (interaction, bot) => {
  await interaction.reply({ ...renderSources(bot, interaction.guildId, 0), flags: MessageFlags.Ephemeral });
  return { outcome: 'shown', results: bot.engine.sources(interaction.guildId).length };
};

/** Previous / Next under the list: the page is in the button's id, the list read afresh. */
export const buttons: ButtonHandlers = {
  sources: {
    async run(interaction, id, bot) {
      await interaction.update(renderSources(bot, interaction.guildId, id.page));
      return { outcome: 'shown' };
    },
  },
};
