import type { ChatInputCommandInteraction, AutocompleteInteraction, SlashCommandOptionsOnlyBuilder } from 'discord.js';
import type { CorpusEngine } from '../engine/corpus-engine.js';
import type { BotSettings } from './bot-settings.js';
import type { Logger } from './logger.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Semaphore } from './semaphore.js';

/** What the bot needs of the engine: the bot renders answers, it holds no retrieval logic. */
export type AnswerSource = Pick<CorpusEngine, 'search' | 'sources' | 'passage' | 'reindex' | 'indexVersion' | 'isReindexing'>;

export interface BotContext {
  engine: AnswerSource;
  settings: BotSettings;
  rateLimiter: RateLimiter;
  /** Caps concurrent searches so a burst cannot starve the gateway heartbeat. */
  searches: Semaphore;
  logger: Logger;
}

/** What a handler reports for the interaction's log line. */
export interface Outcome {
  outcome: string;
  results?: number;
}

/** A slash command module, in the discord.js guide's shape: its builder and its handler. */
export interface BotCommand {
  data: Pick<SlashCommandOptionsOnlyBuilder, 'name' | 'toJSON'>;
  execute(interaction: ChatInputCommandInteraction, bot: BotContext): Promise<Outcome>;
  autocomplete?(interaction: AutocompleteInteraction, bot: BotContext): Promise<void>;
}
