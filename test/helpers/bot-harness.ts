import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commands } from '../../commands/index.js';
import type { Env } from '../../src/config/env.js';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { CorpusEngine } from '../../src/engine/corpus-engine.js';
import type { AnswerSource, BotContext } from '../../src/discord/bot-context.js';
import { createBotContext } from '../../src/discord/bot-context-factory.js';
import { readBotSettings, type BotSettings } from '../../src/discord/bot-settings.js';
import { createBot, type Bot } from '../../src/discord/create-bot.js';
import { deployCommands } from '../../src/discord/deploy-commands.js';
import { JsonLogger } from '../../src/discord/logger.js';
import { DiscordEmulator, type EmulatorOptions } from '../discord-emulator/emulator.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { expectOrderlyTraffic } from './discord-readers.js';
import { LogCollector } from './log-collector.js';
import { createWorkspace, testEmbedder, type Workspace } from './workspace.js';

/**
 * Shaped like a real bot token (three base64url parts) so readBotSettings accepts it, and long
 * enough that a leak into the logs cannot be a coincidence.
 */
export const FAKE_TOKEN = 'MTI4NzY1NDMyMTA5ODc2NTQzMjE.GxQ9zB.s3cr3t-PartOfTheFakeBotTokenXYZ_0123';
/** The part of a token that is actually secret (the first part is just the bot's id). */
export const TOKEN_SECRET_PART = FAKE_TOKEN.split('.')[2]!;

/** Short heartbeats so a dropped or resumed session shows up within a test's time budget. */
export const HEARTBEAT_MS = 1_000;

export function startEmulator(options: EmulatorOptions = {}): Promise<DiscordEmulator> {
  return DiscordEmulator.start({ heartbeatIntervalMs: HEARTBEAT_MS, ...options });
}

// ---- The bot ------------------------------------------------------------------

export interface RunningBot {
  bot: Bot;
  context: BotContext;
  settings: BotSettings;
}

// One bot database per emulator: a bot restarted against the same emulator finds its answers again.
const databaseDirs = new WeakMap<DiscordEmulator, string>();

function databaseOf(emulator: DiscordEmulator): string {
  let dir = databaseDirs.get(emulator);
  if (dir === undefined) {
    dir = mkdtempSync(path.join(tmpdir(), 'corpus-bot-db-'));
    databaseDirs.set(emulator, dir);
  }
  return path.join(dir, 'bot.sqlite');
}

export function botEnv(emulator: DiscordEmulator, extra: Env = {}): Env {
  return {
    DISCORD_TOKEN: FAKE_TOKEN,
    DISCORD_CLIENT_ID: emulator.applicationId,
    DISCORD_API_BASE: emulator.apiUrl,
    BOT_DATABASE: databaseOf(emulator),
    ...extra,
  };
}

/** Opens the real engine over the workspace (building or loading its index) with the shared test model. */
export async function openEngine(
  workspace: Workspace,
  options: { env?: Env; embedder?: Embedder; onWarning?: (message: string) => void } = {},
): Promise<CorpusEngine> {
  return CorpusEngine.open(workspace.settings(options.env), { embedder: options.embedder ?? (await testEmbedder()), onWarning: options.onWarning });
}

/** The real bot (real discord.js client, real commands) logged in to the emulator, as `npm start` would run it. */
export async function startBot(
  emulator: DiscordEmulator,
  source: AnswerSource,
  logs: LogCollector,
  env: Env = {},
): Promise<RunningBot> {
  const settings = readBotSettings(botEnv(emulator, env));
  const logger = new JsonLogger(logs.write, [settings.token]);
  const context = createBotContext(source, settings, logger);
  const bot = createBot(context, commands);
  await bot.start();
  return { bot, context, settings };
}

/**
 * Registers the commands as an operator would (`npm run deploy-commands`, globally so they exist
 * in guilds and DMs alike), so interactions carry the registered option types.
 */
export async function registerCommands(emulator: DiscordEmulator): Promise<void> {
  await deployCommands(readBotSettings(botEnv(emulator)));
}

export interface BotSuite {
  emulator: DiscordEmulator;
  workspace: Workspace;
  engine: CorpusEngine;
  running: RunningBot;
  logs: LogCollector;
}

/**
 * The usual bot test file: one emulator, a workspace of the seed articles, the real engine and
 * the real bot started once, every test's traffic checked, everything stopped at the end. The
 * fields are filled in before the first test.
 */
export function setUpBotSuite(
  env: {
    bot?: Env;
    engine?: Env;
    emulator?: EmulatorOptions;
    /** Runs before the engine opens: files written into the corpus are in its first index. */
    corpus?: (workspace: Workspace, emulator: DiscordEmulator) => Promise<void>;
  } = {},
): BotSuite {
  const suite = { logs: new LogCollector() } as BotSuite;
  beforeAll(async () => {
    suite.emulator = await startEmulator(env.emulator);
    suite.workspace = await createWorkspace();
    await env.corpus?.(suite.workspace, suite.emulator);
    suite.engine = await openEngine(suite.workspace, { env: env.engine });
    await registerCommands(suite.emulator);
    suite.running = await startBot(suite.emulator, suite.engine, suite.logs, env.bot);
  });
  afterEach(() => expectOrderlyTraffic(suite.emulator));
  afterAll(() => stopBotSuite(suite));
  return suite;
}

export async function stopBotSuite({ running, emulator, workspace }: { running?: RunningBot; emulator?: DiscordEmulator; workspace?: Workspace }): Promise<void> {
  await running?.bot.stop();
  await emulator?.stop();
  await workspace?.cleanup();
  const databaseDir = emulator && databaseDirs.get(emulator);
  if (databaseDir) await rm(databaseDir, { recursive: true, force: true });
}

export * from './controlled-source.js';
export * from './discord-readers.js';
export * from './log-collector.js';
