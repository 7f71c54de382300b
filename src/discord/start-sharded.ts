import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager, type RESTGetAPIGatewayBotResult, type Shard } from 'discord.js';
import { readEngineSettings } from '../engine/engine-settings.js';
import { processBuilder } from '../indexing/index-builder.js';
import { openBotDatabase } from '../feedback/database.js';
import { readBotSettings, type BotSettings } from './bot-settings.js';
import { discordRequestFailure } from './discord-request-failure.js';
import { JsonLogger } from './logger.js';
import { runMain } from '../run-main.js';

/** Each shard is `npm start`'s entry point in a process of its own (.ts through tsx, .js once compiled). */
const SHARD_ENTRY = fileURLToPath(new URL(`./start${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));
/**
 * How long a shard may take from its spawn to the gateway's READY: loading the model and the
 * index, then identifying. Larger than discord.js's 30 s, which a hub model's first load can pass.
 */
const SHARD_READY_TIMEOUT_MS = 180_000;

/** The shard count: the setting, or what Discord recommends for the bot's number of servers. */
async function shardCount(settings: BotSettings): Promise<number> {
  if (settings.shards !== 'auto') return settings.shards;
  // Asked through the configured API base: discord.js's own lookup always goes to discord.com.
  const rest = new REST(settings.apiBase ? { api: settings.apiBase } : {}).setToken(settings.token);
  try {
    return ((await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult).shards;
  } catch (error) {
    throw discordRequestFailure('Asking Discord how many shards to run', error, settings);
  }
}

/**
 * `npm run start:sharded`: the bot as several gateway shards, one process each, under
 * discord.js's ShardingManager, which respawns a shard whose process dies. The index is built
 * (or found up to date) once here before any shard starts, so the shards only load it; after
 * that, a /reindex in any shard builds the next version once, and every other shard serves it
 * when it sees CURRENT change (`INDEX_POLL_SECONDS`).
 */
runMain(async () => {
  const settings = readBotSettings();
  const engineSettings = readEngineSettings();
  const logger = new JsonLogger(undefined, [settings.token], { shard: 'manager' });
  // Migrated and checked once, before the shards share it.
  openBotDatabase(settings.databasePath).close();

  const built = await processBuilder({ indexDir: engineSettings.indexDir, model: engineSettings.model, index: engineSettings.index }).build(null, {
    onWarning: (message) => logger.log('warn', 'index', { message }),
  });
  logger.log('info', built.summary.changed ? 'index_built' : 'index_ready', { version: built.summary.version, passages: built.summary.passages.total });

  const total = await shardCount(settings);
  const manager = new ShardingManager(SHARD_ENTRY, {
    totalShards: total,
    token: settings.token,
    respawn: true,
    // The shards run TypeScript as this process does: through tsx's loader, named in execArgv.
    execArgv: process.execArgv,
  });
  let stopping = false;
  manager.on('shardCreate', (shard: Shard) => {
    // Shards are processes (the manager's default mode), not worker threads.
    shard.on('spawn', (child) => logger.log('info', 'shard_spawned', { id: shard.id, pid: (child as ChildProcess).pid }));
    shard.on('ready', () => logger.log('info', 'shard_ready', { id: shard.id }));
    shard.on('death', (child) => {
      const { exitCode, signalCode } = child as ChildProcess;
      logger.log(stopping ? 'info' : 'warn', 'shard_exited', { id: shard.id, exitCode, signal: signalCode, respawning: !stopping });
    });
    shard.on('error', (error: unknown) => logger.log('error', 'shard_error', { id: shard.id, error }));
  });

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log('info', 'shutting_down', { signal });
    // Each shard finishes the answers in flight and logs out (SIGTERM, as `npm start` handles it);
    // kill() also tells the manager not to respawn it.
    await Promise.all(
      [...manager.shards.values()].map(async (shard) => {
        const child = shard.process;
        if (!child || child.exitCode !== null) return;
        const exited = once(child, 'exit');
        shard.kill();
        await exited;
      }),
    );
    logger.log('info', 'stopped', {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  logger.log('info', 'sharding', { shards: total, setting: settings.shards, pid: process.pid });
  try {
    await manager.spawn({ amount: total, timeout: SHARD_READY_TIMEOUT_MS });
  } catch (error) {
    // A shard that cannot come up at all (it exited before READY) is not retried forever.
    stopping = true;
    for (const shard of manager.shards.values()) if (shard.process) shard.kill();
    throw error;
  }
  logger.log('info', 'shards_ready', { shards: total });
}, { exitOnFailure: true });
