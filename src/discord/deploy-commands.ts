import dotenv from 'dotenv';
import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { commands } from '../../commands/index.js';
import { readBotSettings, type BotSettings } from './bot-settings.js';

/** Registers every slash command: to one server when DISCORD_GUILD_ID is set (instant), else globally. */
export async function deployCommands(settings: BotSettings): Promise<RESTPutAPIApplicationCommandsResult> {
  const rest = new REST(settings.apiBase ? { api: settings.apiBase } : {}).setToken(settings.token);
  const route = settings.guildId
    ? Routes.applicationGuildCommands(settings.clientId, settings.guildId)
    : Routes.applicationCommands(settings.clientId);
  const body = commands.map((command) => command.data.toJSON());
  return (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  dotenv.config({ quiet: true });
  try {
    const settings = readBotSettings();
    const registered = await deployCommands(settings);
    const where = settings.guildId ? `server ${settings.guildId}` : 'all servers (global; may take up to an hour to appear)';
    process.stdout.write(`Registered ${registered.length} commands (${registered.map((c) => `/${c.name}`).join(', ')}) for ${where}.\n`);
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
