import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from './bot-context.js';

/**
 * Why this user may not run a moderators' command here, or null. Server admins can change who
 * sees a command, so the permission is checked again on use; in direct messages only the
 * configured owners may. `doing` names the action ("Re-indexing", "Reading the gaps").
 */
export function moderatorRefusal(interaction: ChatInputCommandInteraction, bot: BotContext, doing: string, command: string): string | null {
  if (interaction.inGuild()) {
    return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ? null : `${doing} needs the **Manage Server** permission in this server.`;
  }
  return bot.settings.ownerIds.has(interaction.user.id)
    ? null
    : `In direct messages only the bot’s owners (BOT_OWNER_IDS) can use \`/${command}\`. Ask a moderator to run it in a server.`;
}
