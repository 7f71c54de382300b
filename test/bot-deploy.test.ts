import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApplicationCommandOptionType, ApplicationCommandType, ApplicationIntegrationType, ChannelType, InteractionContextType, PermissionFlagsBits } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readBotSettings } from '../src/discord/bot-settings.js';
import { deployCommands } from '../src/discord/deploy-commands.js';
import type { DiscordEmulator } from './discord-emulator/emulator.js';
import { FAKE_TOKEN, botEnv, rejectedRequests, startEmulator } from './helpers/bot-harness.js';
import { PROJECT_ROOT, TSX } from './helpers/workspace.js';

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
  type?: number;
  description?: string;
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
    expect(registered.map((command) => command.name).sort()).toEqual(['Find sources', 'ask', 'corpus-channels', 'documents', 'gaps', 'help', 'reindex', 'sources']);
    expect(emulator.commands(guildId).map((command) => command.name).sort()).toEqual(['Find sources', 'ask', 'corpus-channels', 'documents', 'gaps', 'help', 'reindex', 'sources']);
    expect(emulator.commands()).toEqual([]);
  });

  it('registers globally without DISCORD_GUILD_ID, with the options, contexts and permissions the handlers rely on', async () => {
    const since = emulator.requestCount;
    await deployCommands(readBotSettings(botEnv(emulator)));
    const [request, ...others] = emulator.requests((r) => r.method === 'PUT' && r.index >= since);
    expect(others).toEqual([]);
    expect(request?.path).toBe(`/applications/${emulator.applicationId}/commands`);
    const commands = byName(request?.body);
    expect([...commands.keys()].sort()).toEqual(['Find sources', 'ask', 'corpus-channels', 'documents', 'gaps', 'help', 'reindex', 'sources']);

    const ask = commands.get('ask')!;
    expect(ask.options).toEqual([
      expect.objectContaining({ name: 'question', type: ApplicationCommandOptionType.String, required: true, max_length: 6000 }),
      expect.objectContaining({ name: 'results', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 5 }),
      expect.objectContaining({ name: 'source', type: ApplicationCommandOptionType.String, autocomplete: true }),
      expect.objectContaining({ name: 'private', type: ApplicationCommandOptionType.Boolean }),
      expect.objectContaining({ name: 'thread', type: ApplicationCommandOptionType.Boolean }),
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

    // Moderators' commands: Manage Server by default, in servers and (for owners) the bot DM.
    const documents = commands.get('documents')!;
    expect(documents.default_member_permissions).toBe('32');
    expect(documents.contexts?.sort()).toEqual([InteractionContextType.Guild, InteractionContextType.BotDM].sort());
    expect(documents.options?.map((option) => [option.name, option.type])).toEqual([
      ['add', ApplicationCommandOptionType.Subcommand],
      ['remove', ApplicationCommandOptionType.Subcommand],
    ]);
    // Channels are a server's own: servers only, installed to a server, Manage Server by default.
    const corpusChannels = commands.get('corpus-channels')!;
    expect(corpusChannels.default_member_permissions).toBe('32');
    expect(corpusChannels.contexts).toEqual([InteractionContextType.Guild]);
    expect(corpusChannels.integration_types).toEqual([ApplicationIntegrationType.GuildInstall]);
    expect(corpusChannels.options?.map((option) => [option.name, option.type])).toEqual([
      ['add', ApplicationCommandOptionType.Subcommand],
      ['remove', ApplicationCommandOptionType.Subcommand],
      ['list', ApplicationCommandOptionType.Subcommand],
    ]);
    const channelOption = (corpusChannels.options?.[0] as { options?: { type: number; required?: boolean; channel_types?: number[] }[] }).options?.[0];
    expect(channelOption).toMatchObject({ type: ApplicationCommandOptionType.Channel, required: true, channel_types: [ChannelType.GuildText, ChannelType.GuildForum] });
    const gaps = commands.get('gaps')!;
    expect(gaps.default_member_permissions).toBe('32');
    expect(gaps.contexts?.sort()).toEqual([InteractionContextType.Guild, InteractionContextType.BotDM].sort());
    expect(gaps.options).toEqual([expect.objectContaining({ name: 'days', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 365 })]);

    for (const name of ['help', 'sources']) {
      const command = commands.get(name)!;
      expect(command.default_member_permissions ?? null).toBeNull();
      expect(command.contexts).toContain(InteractionContextType.BotDM);
    }

    // A message command (type 3): no description or options, everywhere /ask is.
    const findSources = commands.get('Find sources')!;
    expect(findSources.type).toBe(ApplicationCommandType.Message);
    expect(findSources.description ?? '').toBe('');
    expect(findSources.options ?? []).toEqual([]);
    expect(findSources.contexts?.sort()).toEqual(ask.contexts);
    expect(findSources.integration_types?.sort()).toEqual(ask.integration_types);
    expect(findSources.default_member_permissions ?? null).toBeNull();
    expect(emulator.commands().map((command) => command.name).sort()).toEqual(['Find sources', 'ask', 'corpus-channels', 'documents', 'gaps', 'help', 'reindex', 'sources']);
  });
});

describe('npm run deploy-commands', () => {
  function deploy(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        TSX,
        [path.join(PROJECT_ROOT, 'src/discord/deploy.ts')],
        // A developer's .env must not decide the outcome: the settings the test relies on are set here.
        { cwd: PROJECT_ROOT, env: { ...process.env, DISCORD_GUILD_ID: '', ...env } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('registers the commands and says where', async () => {
    const run = await deploy(botEnv(emulator) as Record<string, string>);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Registered 8 commands \(\/ask, \/reindex, \/documents, \/corpus-channels, \/sources, \/help, \/gaps, Apps → Find sources\) for all servers/);
  });

  it('says which setting to check when Discord refuses the token, in one line', async () => {
    emulator.failNextRequest((request) => request.method === 'PUT', { status: 401 });
    const run = await deploy(botEnv(emulator) as Record<string, string>);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^error: Registering the commands failed: .*\(HTTP 401\)\. Discord did not accept the token: check DISCORD_TOKEN/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('says the API could not be reached, naming DISCORD_API_BASE, in one line', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const run = await deploy({ ...(botEnv(emulator) as Record<string, string>), DISCORD_API_BASE: `http://127.0.0.1:${closed}/api` });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^error: Registering the commands failed: http:\/\/127\.0\.0\.1:\d+\/api could not be reached \(ECONNREFUSED\)\. Check the network, and DISCORD_API_BASE/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }, 30_000);
});
