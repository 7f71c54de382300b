import { ApplicationIntegrationType, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../src/discord/bot-context.js';
import { moderatorRefusal } from '../src/discord/moderators.js';
import { reindexWithProgress } from '../src/discord/reindex-with-progress.js';

export const data = new SlashCommandBuilder()
  .setName('reindex')
  .setDescription('Re-read the documents folder and update the index (moderators)')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);

export const execute: BotCommand['execute'] = async (interaction, bot) => {
  const refused = moderatorRefusal(interaction, bot, 'Re-indexing', 'reindex');
  if (refused) {
    await interaction.reply({ content: refused, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    return { outcome: 'refused' };
  }
  if (bot.engine.isReindexing || bot.changingDocuments) {
    await interaction.reply({
      content: 'A re-index is already running; questions are answered from the current index until it finishes.',
      flags: MessageFlags.Ephemeral,
    });
    return { outcome: 'already_running' };
  }
  return reindexWithProgress(interaction, bot);
};
