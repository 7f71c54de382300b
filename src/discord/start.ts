import { commands } from '../../commands/index.js';
import { readEngineSettings } from '../engine/engine-settings.js';
import { CorpusEngine } from '../engine/corpus-engine.js';
import { readBotSettings } from './bot-settings.js';
import { createBotContext } from './bot-context-factory.js';
import { createBot } from './create-bot.js';
import { openBotDatabase } from '../feedback/database.js';
import { JsonLogger } from './logger.js';
import { runMain } from '../run-main.js';

/**
 * Which shard wrote a line, when `npm run start:sharded` spawned this process: discord.js's
 * ShardingManager names its shards in SHARDS, and every shard logs to the same output.
 */
function shardOrigin(env: NodeJS.ProcessEnv = process.env): { shard?: number | number[] } {
  if (env.SHARDING_MANAGER !== 'true' || env.SHARDS === undefined) return {};
  const shards = JSON.parse(env.SHARDS) as number[];
  return { shard: shards.length === 1 ? shards[0]! : shards };
}

runMain(async () => {
  // Settings first: a missing token is reported before anything loads or connects.
  const settings = readBotSettings();
  const engineSettings = readEngineSettings();
  const logger = new JsonLogger(undefined, [settings.token], shardOrigin());
  // Before the model loads: a database that cannot be used is reported in a second, not a minute.
  const database = openBotDatabase(settings.databasePath);
  const engine = await CorpusEngine.open(engineSettings, {
    onWarning: (message) => logger.log('warn', 'index', { message }),
  });
  if (engine.openingBuild) logger.log('info', 'index_built', { ...engine.openingBuild });
  logger.log('info', 'engine_ready', { indexVersion: engine.indexVersion, documents: engine.sources().length, backend: engine.backendName });

  const bot = createBot(createBotContext(engine, settings, logger, database), commands);
  // Another shard or process may re-index the same folder: its version is served here too.
  const stopFollowing =
    settings.indexPollMs > 0
      ? engine.follow(settings.indexPollMs, {
          onFollow: (outcome) =>
            outcome.kind === 'switched'
              ? logger.log('info', 'index_followed', { from: outcome.from, to: outcome.to })
              : logger.log('warn', 'index_not_followed', { version: outcome.version, reason: outcome.reason }),
          onError: (error) => logger.log('error', 'index_follow_failed', { error }),
        })
      : () => undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopFollowing();
    logger.log('info', 'shutting_down', { signal });
    bot
      .stop()
      .then(() => engine.close())
      .then(
      () => process.exit(0),
      (error: unknown) => {
        logger.log('error', 'shutdown_failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // A shard whose manager is gone (killed, crashed) stops too: a manager started again spawns its
  // own, and an orphan still connected as the same shard would answer its servers twice.
  if (shardOrigin().shard !== undefined) process.on('disconnect', () => shutdown('manager_gone'));
  process.on('unhandledRejection', (error) => logger.log('error', 'unhandled_rejection', { error }));
  await bot.start();
}, { exitOnFailure: true });
