import { commands } from '../../commands/index.js';
import { readEngineSettings } from '../engine/engine-settings.js';
import { CorpusEngine } from '../engine/corpus-engine.js';
import { readBotSettings } from './bot-settings.js';
import { createBotContext } from './bot-context-factory.js';
import { createBot } from './create-bot.js';
import { openBotDatabase } from '../feedback/database.js';
import { JsonLogger } from './logger.js';
import { runMain } from '../run-main.js';

runMain(async () => {
  // Settings first: a missing token is reported before anything loads or connects.
  const settings = readBotSettings();
  const engineSettings = readEngineSettings();
  const logger = new JsonLogger(undefined, [settings.token]);
  // Before the model loads: a database that cannot be used is reported in a second, not a minute.
  const database = openBotDatabase(settings.databasePath);
  const engine = await CorpusEngine.open(engineSettings, {
    onWarning: (message) => logger.log('warn', 'index', { message }),
  });
  if (engine.openingBuild) logger.log('info', 'index_built', { ...engine.openingBuild });
  logger.log('info', 'engine_ready', { indexVersion: engine.indexVersion, documents: engine.sources().length });

  const bot = createBot(createBotContext(engine, settings, logger, database), commands);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log('info', 'shutting_down', { signal });
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.log('error', 'shutdown_failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('unhandledRejection', (error) => logger.log('error', 'unhandled_rejection', { error }));
  await bot.start();
}, { exitOnFailure: true });
