import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ContextMenuCommandBuilder,
  MessageContextMenuCommandInteraction,
  SlashCommandOptionsOnlyBuilder,
} from 'discord.js';
import type { CorpusEngine } from '../engine/corpus-engine.js';
import type { AnswerLog } from '../feedback/answer-log.js';
import type { AnswerThreads } from '../feedback/answer-threads.js';
import type { CorpusChannels } from '../feedback/corpus-channels.js';
import type { Gap, GapQuery } from '../feedback/gaps.js';
import type { VoteLog } from '../feedback/votes.js';
import type { BotSettings } from './bot-settings.js';
import type { ButtonId } from './custom-ids.js';
import type { Logger } from './logger.js';
import type { Precondition } from './preconditions.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Semaphore } from './semaphore.js';

/** What the bot needs of the engine: the bot renders answers, it holds no retrieval logic. */
export type AnswerSource = Pick<
  CorpusEngine,
  'search' | 'sources' | 'passage' | 'reindex' | 'indexVersion' | 'isReindexing' | 'defaultResults' | 'maxQuestionChars' | 'corpus'
>;

export interface BotContext {
  engine: AnswerSource;
  settings: BotSettings;
  rateLimiter: RateLimiter;
  /** Caps concurrent searches so a burst cannot starve the gateway heartbeat. */
  searches: Semaphore;
  logger: Logger;
  /** The answers sent (and, with feedback on, the declines), which buttons name by id. */
  answers: AnswerLog;
  votes: VoteLog;
  /** The most frequent declined or voted-down questions (`/gaps`). */
  gaps(query: GapQuery): Gap[];
  /** The channels each server opted in for answers in threads (`/corpus-channels`). */
  channels: CorpusChannels;
  /** The threads the bot answers in, whose follow-ups it answers. */
  threads: AnswerThreads;
  /**
   * Whether the bot may read guild messages (the privileged Message Content intent is granted),
   * known once it has started: without it, forum posts and follow-ups are not answered.
   */
  messageContent: boolean;
  /**
   * Set while /documents changes the corpus folder and re-indexes it, from before its first
   * await: a second change or a /reindex meanwhile is refused, not interleaved with it.
   */
  changingDocuments: boolean;
  /** Releases what the context holds open (the database); the bot calls it when it stops. */
  close(): void;
}

/** What a handler reports for the interaction's log line. */
export interface Outcome {
  outcome: string;
  results?: number;
}

/** Handles a click on a button of one kind; its id is decoded already. */
export interface ButtonHandler<Id extends ButtonId = ButtonId> {
  preconditions?: readonly Precondition[];
  run(interaction: ButtonInteraction, id: Id, bot: BotContext): Promise<Outcome>;
}

/** The buttons a command puts on its messages, by id kind (Sapphire's interaction handlers). */
export type ButtonHandlers = { [Kind in ButtonId['kind']]?: ButtonHandler<Extract<ButtonId, { kind: Kind }>> };

/**
 * A slash command module, in the discord.js guide's shape (its builder and its handler), with
 * the checks that run before it and the handlers of the buttons it owns.
 */
export interface BotCommand {
  data: Pick<SlashCommandOptionsOnlyBuilder, 'name' | 'toJSON'>;
  preconditions?: readonly Precondition[];
  execute(interaction: ChatInputCommandInteraction, bot: BotContext): Promise<Outcome>;
  autocomplete?(interaction: AutocompleteInteraction, bot: BotContext): Promise<void>;
  buttons?: ButtonHandlers;
}

/** A message command (right-click a message → Apps → its name), in the same shape as a slash command. */
export interface MessageCommand {
  kind: 'message';
  data: Pick<ContextMenuCommandBuilder, 'name' | 'toJSON'>;
  preconditions?: readonly Precondition[];
  execute(interaction: MessageContextMenuCommandInteraction, bot: BotContext): Promise<Outcome>;
  buttons?: ButtonHandlers;
}

/** Every application command the bot registers and answers. */
export type Command = BotCommand | MessageCommand;

export function isMessageCommand(command: Command): command is MessageCommand {
  return 'kind' in command && command.kind === 'message';
}
