import type { AnswerSource, BotContext } from './bot-context.js';
import type { BotSettings } from './bot-settings.js';
import type { Logger } from './logger.js';
import { RateLimiter } from './rate-limiter.js';
import { Semaphore } from './semaphore.js';

export function createBotContext(engine: AnswerSource, settings: BotSettings, logger: Logger): BotContext {
  return {
    engine,
    settings,
    rateLimiter: new RateLimiter(settings.rateLimit.questions, settings.rateLimit.windowMs),
    searches: new Semaphore(settings.maxConcurrentSearches),
    logger,
  };
}
