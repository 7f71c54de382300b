import { ApplicationCommandOptionType, ApplicationIntegrationType, InteractionContextType, PermissionFlagsBits } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readBotSettings } from '../src/discord/bot-settings.js';
import { deployCommands } from '../src/discord/deploy-commands.js';
import type { DiscordEmulator } from './discord-emulator/emulator.js';
import { FAKE_TOKEN, botEnv, rejectedRequests, startEmulator } from './helpers/bot-harness.js';

let emulator: DiscordEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterEach(() => {
  expect(emulator.unexpectedRequests()).toEqual([]);
  // The emulator validates command bodies as Discord does (names, descriptions, option order…).
  expect(rejectedRequests(emulator)).toEqual([]);
});

afterAll(async () => {
  await emulator?.stop();
});

interface CommandBody {
  name: string;
  contexts?: number[];
  integration_types?: number[];
  default_member_permissions?: string | null;
  options?: { name: string; type: number; required?: boolean; max_length?: number; min_value?: number; max_value?: number; autocomplete?: boolean }[];
}

function byName(body: unknown): Map<string, CommandBody> {
  return new Map((body as CommandBody[]).map((command) => [command.name, command]));
}

describe('deployCommands', () => {
  it('registers to one server with DISCORD_GUILD_ID, as a bulk overwrite of that guild', async () => {
    const guildId = emulator.guilds[0]!.id;
    const registered = await deployCommands(readBotSettings(botEnv(emulator, { DISCORD_GUILD_ID: guildId })));
    const [request, ...others] = emulator.requests({ method: 'PUT' });
    expect(others).toEqual([]);
    expect(request?.path).toBe(`/applications/${emulator.applicationId}/guilds/${guildId}/commands`);
    expect(request?.authorization).toBe(`Bot ${FAKE_TOKEN}`);
    expect(registered.map((command) => command.name).sort()).toEqual(['ask', 'help', 'reindex', 'sources']);
    expect(emulator.commands(guildId).map((command) => command.name).sort()).toEqual(['ask', 'help', 'reindex', 'sources']);
    expect(emulator.commands()).toEqual([]);
  });

  it('registers globally without DISCORD_GUILD_ID, with the options, contexts and permissions the handlers rely on', async () => {
    const since = emulator.requestCount;
    await deployCommands(readBotSettings(botEnv(emulator)));
    const [request, ...others] = emulator.requests((r) => r.method === 'PUT' && r.index >= since);
    expect(others).toEqual([]);
    expect(request?.path).toBe(`/applications/${emulator.applicationId}/commands`);
    const commands = byName(request?.body);
    expect([...commands.keys()].sort()).toEqual(['ask', 'help', 'reindex', 'sources']);

    const ask = commands.get('ask')!;
    expect(ask.options).toEqual([
      expect.objectContaining({ name: 'question', type: ApplicationCommandOptionType.String, required: true, max_length: 300 }),
      expect.objectContaining({ name: 'results', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 5 }),
      expect.objectContaining({ name: 'source', type: ApplicationCommandOptionType.String, autocomplete: true }),
      expect.objectContaining({ name: 'private', type: ApplicationCommandOptionType.Boolean }),
    ]);
    for (const optional of ask.options!.slice(1)) expect(optional.required ?? false).toBe(false);
    // Asking works in servers, in the bot's DMs and (user-installed) in other DMs.
    expect(ask.contexts?.sort()).toEqual(
      [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel].sort(),
    );
    expect(ask.integration_types?.sort()).toEqual([ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall].sort());
    expect(ask.default_member_permissions ?? null).toBeNull();

    const reindex = commands.get('reindex')!;
    expect(reindex.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    expect(reindex.default_member_permissions).toBe('32');
    expect(reindex.contexts?.sort()).toEqual([InteractionContextType.Guild, InteractionContextType.BotDM].sort());
    expect(reindex.integration_types).toEqual([ApplicationIntegrationType.GuildInstall]);
    expect(reindex.options ?? []).toEqual([]);

    for (const name of ['help', 'sources']) {
      const command = commands.get(name)!;
      expect(command.default_member_permissions ?? null).toBeNull();
      expect(command.contexts).toContain(InteractionContextType.BotDM);
    }
    expect(emulator.commands().map((command) => command.name).sort()).toEqual(['ask', 'help', 'reindex', 'sources']);
  });
});
