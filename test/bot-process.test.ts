import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../src/config/env.js';
import type { DiscordEmulator } from './discord-emulator/emulator.js';
import {
  botEnv,
  logLinesIn,
  citedSources,
  expectOrderlyTraffic,
  registerCommands,
  startEmulator,
  stopBotSuite,
  TOKEN_SECRET_PART,
} from './helpers/bot-harness.js';
import { PROJECT_ROOT, createWorkspace, startScript, type ScriptProcess, type Workspace } from './helpers/workspace.js';

/** `npm start` as an operator runs it: the real entry point in a process of its own. */
type BotProcess = ScriptProcess;

let emulator: DiscordEmulator;
let workspace: Workspace;

beforeAll(async () => {
  emulator = await startEmulator();
  workspace = await createWorkspace();
  await registerCommands(emulator);
});

afterEach(() => expectOrderlyTraffic(emulator));

afterAll(() => stopBotSuite({ emulator, workspace }));

const startProcess = (env: Env): BotProcess => startScript(workspace, 'src/discord/start.ts', env);

/** The process's log lines (JSON, one per line, on stdout). */
const logLines = (bot: BotProcess) => logLinesIn(bot.stdout());

describe('npm start', () => {
  it.each([
    ['DISCORD_TOKEN', { DISCORD_TOKEN: '' }, /^error: DISCORD_TOKEN is not set\. /],
    ['DISCORD_TOKEN', { DISCORD_TOKEN: 'not-a-token' }, /^error: DISCORD_TOKEN does not look like a bot token/],
    ['DISCORD_CLIENT_ID', { DISCORD_CLIENT_ID: 'my-app' }, /^error: DISCORD_CLIENT_ID must be a Discord id \(17 to 20 digits\); it is "my-app"\./],
    ['DISCORD_API_BASE', { DISCORD_API_BASE: 'localhost:8080' }, /^error: DISCORD_API_BASE must be an http\(s\) URL/],
    ['RATE_LIMIT_QUESTIONS', { RATE_LIMIT_QUESTIONS: 'many' }, /^error: .*RATE_LIMIT_QUESTIONS/],
    // A folder that cannot exist: its parent is a file.
    ['BOT_DATABASE', { BOT_DATABASE: path.join(PROJECT_ROOT, 'package.json', 'bot.sqlite') }, /^error: The bot's database .*package\.json\/bot\.sqlite cannot be used: .*Check BOT_DATABASE/],
  ])('names %s when it is missing or malformed, in one line, before connecting (%o)', async (_name, override, message) => {
    const requestsBefore = emulator.requestCount;
    const bot = startProcess({ ...botEnv(emulator), ...override });
    expect(await bot.exited).toBe(1);
    const lines = bot.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(bot.stdout()).toBe('');
    expect(emulator.requestCount).toBe(requestsBefore);
  });

  it('loads, logs in, answers /ask, and on SIGTERM finishes and disconnects cleanly', async () => {
    const bot = startProcess(botEnv(emulator));
    try {
      await emulator.waitFor(() => (emulator.session?.connected ? true : undefined), 30_000, 'the bot to identify');
      const reply = await emulator
        .sendSlashCommand({ name: 'ask', user: emulator.createUser('operator'), options: { question: 'What did the Secret Service foil in July?' } })
        .waitForResponse();
      expect(citedSources(reply)).toContain('000_a3e3ba9c672df76e.txt');

      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      bot.child.kill('SIGKILL');
    }
    const events = logLines(bot).map((line) => line.event);
    expect(events).toEqual(expect.arrayContaining(['engine_ready', 'ready', 'interaction', 'shutting_down', 'stopped']));
    expect(events.indexOf('engine_ready')).toBeLessThan(events.indexOf('ready'));
    expect(logLines(bot).find((line) => line.event === 'interaction')).toMatchObject({ command: 'ask', where: 'guild', outcome: 'answered' });
    expect(emulator.connections().at(-1)).toMatchObject({ closeCode: 1000, closedBy: 'client' });
    expect(bot.stdout() + bot.stderr()).not.toContain(TOKEN_SECRET_PART);
    expect(bot.stderr()).toBe('');
  });
});
