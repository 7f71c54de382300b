import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { commands } from '../../commands/index.js';
import type { BotSettings } from './bot-settings.js';
import { discordRequestFailure } from './discord-request-failure.js';

/** Registers every command (slash and message commands): to one server when DISCORD_GUILD_ID is set (instant), else globally. */
export async function deployCommands(settings: BotSettings): Promise<RESTPutAPIApplicationCommandsResult> {
  const rest = new REST(settings.apiBase ? { api: settings.apiBase } : {}).setToken(settings.token);
  const route = settings.guildId
    ? Routes.applicationGuildCommands(settings.clientId, settings.guildId)
    : Routes.applicationCommands(settings.clientId);
  const body = commands.map((command) => command.data.toJSON());
  try {
    return (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  } catch (error) {
    throw discordRequestFailure('Registering the commands', error, settings);
  }
}
