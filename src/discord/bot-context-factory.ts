import { AnswerLog } from '../feedback/answer-log.js';
import { AnswerThreads } from '../feedback/answer-threads.js';
import { CorpusChannels } from '../feedback/corpus-channels.js';
import { openBotDatabase, type BotDatabase } from '../feedback/database.js';
import { findGaps } from '../feedback/gaps.js';
import { VoteLog } from '../feedback/votes.js';
import type { AnswerSource, BotContext } from './bot-context.js';
import type { BotSettings } from './bot-settings.js';
import type { Logger } from './logger.js';
import { RateLimiter } from './rate-limiter.js';
import { Semaphore } from './semaphore.js';

const PRUNE_INTERVAL_MS = 3_600_000;

/** The bot's dependencies; `database` is opened from the settings unless it is given (start-up opens it first, to fail fast). */
export function createBotContext(
  engine: AnswerSource,
  settings: BotSettings,
  logger: Logger,
  database: BotDatabase = openBotDatabase(settings.databasePath),
): BotContext {
  const answers = new AnswerLog(database, settings.answerRetentionDays);
  const threads = new AnswerThreads(database, settings.answerRetentionDays);
  // What is past the retention goes at start-up and then hourly, however quiet the bot is.
  const prune = () => {
    for (const [what, log] of [['answers', answers], ['threads', threads]] as const) {
      try {
        log.pruneExpired();
      } catch (error) {
        logger.log('error', 'prune_failed', { what, error });
      }
    }
  };
  prune();
  const pruning = setInterval(prune, PRUNE_INTERVAL_MS).unref();
  return {
    engine,
    settings,
    rateLimiter: new RateLimiter(settings.rateLimit.questions, settings.rateLimit.windowMs),
    searches: new Semaphore(settings.maxConcurrentSearches),
    logger,
    answers,
    changingDocuments: false,
    channels: new CorpusChannels(database),
    threads,
    messageContent: false,
    votes: new VoteLog(database),
    // Never older than what is kept, whatever the days asked for.
    gaps: (query) => findGaps(database, { ...query, since: Math.max(query.since, answers.oldestKept()) }),
    close: () => {
      clearInterval(pruning);
      database.close();
    },
  };
}
