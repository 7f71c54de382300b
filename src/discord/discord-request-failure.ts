import { DiscordAPIError } from 'discord.js';
import { UserFacingError } from '../errors.js';
import type { BotSettings } from './bot-settings.js';

/** What went wrong `doing` something on Discord's API ("Registering the commands"), and which setting to look at. */
export function discordRequestFailure(doing: string, error: unknown, settings: Pick<BotSettings, 'apiBase' | 'clientId' | 'guildId'>): Error {
  const api = settings.apiBase ?? 'https://discord.com/api';
  if (error instanceof DiscordAPIError) {
    const hint =
      error.status === 401
        ? 'Discord did not accept the token: check DISCORD_TOKEN (the bot token, from the Bot page).'
        : error.status === 403 || error.status === 404 || error.code === 10002
          ? `Check DISCORD_CLIENT_ID (the application id, ${settings.clientId})${settings.guildId ? `, DISCORD_GUILD_ID (${settings.guildId}, a server the bot is in)` : ''}${settings.apiBase ? ` and DISCORD_API_BASE (${settings.apiBase})` : ''}.`
          : `Check DISCORD_TOKEN and DISCORD_CLIENT_ID${settings.apiBase ? `, and DISCORD_API_BASE (${settings.apiBase})` : ''}.`;
    return new UserFacingError(`${doing} failed: ${error.message} (HTTP ${error.status}). ${hint}`);
  }
  // Something answered, but not as Discord does (a proxy, a wrong DISCORD_API_BASE).
  if (error instanceof SyntaxError) {
    return new UserFacingError(`${doing} failed: ${api} did not answer as Discord's API does (${error.message}). Check DISCORD_API_BASE.`);
  }
  const code = (error as NodeJS.ErrnoException).code ?? (error as { cause?: NodeJS.ErrnoException }).cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EAI_AGAIN') {
    return new UserFacingError(`${doing} failed: ${api} could not be reached (${code}). Check the network, and DISCORD_API_BASE if it is set.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
