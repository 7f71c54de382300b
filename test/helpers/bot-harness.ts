import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import { InteractionResponseType, MessageFlags, type APIEmbed, type APIMessage } from 'discord.js';
import { commands } from '../../commands/index.js';
import type { Env } from '../../src/config/env.js';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { CorpusEngine, type EngineEvents } from '../../src/engine/corpus-engine.js';
import type { AnswerSource, BotContext } from '../../src/discord/bot-context.js';
import { createBotContext } from '../../src/discord/bot-context-factory.js';
import { readBotSettings, type BotSettings } from '../../src/discord/bot-settings.js';
import { createBot, type Bot } from '../../src/discord/create-bot.js';
import { deployCommands } from '../../src/discord/deploy-commands.js';
import { JsonLogger } from '../../src/discord/logger.js';
import type { Answer, SearchOptions } from '../../src/retrieval/types.js';
import { DiscordEmulator, type EmulatorOptions, type RecordedRequest, type SentInteraction } from '../discord-emulator/emulator.js';
import { DelegatingEmbedder } from './delegating-embedder.js';
import { testEmbedder, type Workspace } from './workspace.js';

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

// ---- Logs -------------------------------------------------------------------

export interface LogEntry {
  level: string;
  event: string;
  [field: string]: unknown;
}

/** Collects what the bot's JsonLogger writes, so tests can assert on (and await) log lines. */
export class LogCollector {
  readonly lines: string[] = [];
  readonly #waiters = new Set<() => void>();

  readonly write = (line: string): void => {
    this.lines.push(line);
    for (const waiter of [...this.#waiters]) waiter();
  };

  entries(filter: Partial<LogEntry> = {}): LogEntry[] {
    return this.lines
      .map((line) => JSON.parse(line) as LogEntry)
      .filter((entry) => Object.entries(filter).every(([key, value]) => entry[key] === value));
  }

  /** The interaction log lines (one per handled interaction or DM). */
  interactions(filter: Partial<LogEntry> = {}): LogEntry[] {
    return this.entries({ event: 'interaction', ...filter });
  }

  /**
   * Resolves with the probe's first defined result, re-checked on every line written. A handler
   * logs after its last REST call, so waiting on the emulator would miss its log line.
   */
  until<T>(probe: () => T | undefined, description: string, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found === undefined) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`Timed out waiting for ${description}; last lines:\n${this.lines.slice(-5).join('')}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  /** The first entry matching `filter`, once it is written. */
  waitFor(filter: Partial<LogEntry>, timeoutMs?: number): Promise<LogEntry> {
    return this.until(() => this.entries(filter)[0], `a log line like ${JSON.stringify(filter)}`, timeoutMs);
  }

  /** All interaction lines matching `filter`, once there are `count` of them. */
  waitForInteractions(filter: Partial<LogEntry>, count: number, timeoutMs?: number): Promise<LogEntry[]> {
    return this.until(
      () => {
        const found = this.interactions(filter);
        return found.length >= count ? found : undefined;
      },
      `${count} interaction log lines like ${JSON.stringify(filter)}`,
      timeoutMs,
    );
  }
}

// ---- Wrappers around the real engine (they delegate; they never invent results) ---------------

/**
 * The engine as the bot sees it, with knobs to make retrieval slow or failing. Every search that
 * succeeds is the real engine's answer.
 */
export class ControlledSource implements AnswerSource {
  /** Added before each search, to stand in for a slow retriever (a big index, a loaded machine). */
  searchDelayMs = 0;
  /** Thrown by the next searches instead of answering (after the delay), to exercise the error path. */
  searchError: Error | null = null;

  constructor(public inner: AnswerSource) {}

  async search(question: string, options?: SearchOptions): Promise<Answer> {
    if (this.searchDelayMs > 0) await delay(this.searchDelayMs);
    if (this.searchError) throw this.searchError;
    return this.inner.search(question, options);
  }

  sources() {
    return this.inner.sources();
  }

  passage(passageId: number) {
    return this.inner.passage(passageId);
  }

  reindex(events?: EngineEvents) {
    return this.inner.reindex(events);
  }

  get indexVersion(): string {
    return this.inner.indexVersion;
  }

  get isReindexing(): boolean {
    return this.inner.isReindexing;
  }
}

/**
 * Holds passage embedding (what a re-index spends its time on) until the test opens the gate, so
 * "a re-index is running" lasts exactly as long as a test needs; queries are never held.
 */
export class GatedEmbedder extends DelegatingEmbedder {
  #gate: { promise: Promise<void>; open: () => void } | null = null;
  #onWaiting: Array<() => void> = [];
  waitingCalls = 0;

  /** From now on, passage embedding waits for `open()`. */
  close(): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.#gate = { promise, open };
  }

  open(): void {
    const gate = this.#gate;
    this.#gate = null;
    gate?.open();
  }

  /** Resolves once a passage-embedding call is held at the closed gate. */
  held(): Promise<void> {
    if (this.waitingCalls > 0) return Promise.resolve();
    return new Promise((resolve) => this.#onWaiting.push(resolve));
  }

  override async embedPassages(texts: string[]): Promise<Float32Array[]> {
    const gate = this.#gate;
    if (gate) {
      this.waitingCalls += 1;
      for (const notify of this.#onWaiting.splice(0)) notify();
      await gate.promise;
      this.waitingCalls -= 1;
    }
    return this.inner.embedPassages(texts);
  }
}

// ---- The bot ------------------------------------------------------------------

export interface RunningBot {
  bot: Bot;
  context: BotContext;
  settings: BotSettings;
}

export function botEnv(emulator: DiscordEmulator, extra: Env = {}): Env {
  return {
    DISCORD_TOKEN: FAKE_TOKEN,
    DISCORD_CLIENT_ID: emulator.applicationId,
    DISCORD_API_BASE: emulator.apiUrl,
    ...extra,
  };
}

/** Opens the real engine over the workspace (building or loading its index) with the shared test model. */
export async function openEngine(workspace: Workspace, options: { env?: Env; embedder?: Embedder } = {}): Promise<CorpusEngine> {
  return CorpusEngine.open(workspace.settings(options.env), { embedder: options.embedder ?? (await testEmbedder()) });
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

// ---- Reading what the bot sent ----------------------------------------------------

const callbackPath = /^\/interactions\/\d+\/[^/]+\/callback$/;
const webhookPath = /^\/webhooks\/\d+\/[^/]+(\/messages\/[^/]+)?$/;

export function isCallbackOf(sent: SentInteraction) {
  return (request: RecordedRequest) => request.method === 'POST' && request.path === `/interactions/${sent.id}/${sent.token}/callback`;
}

/** Accepted (non-faulted) callback requests for an interaction, oldest first. */
export function callbacksOf(emulator: DiscordEmulator, sent: SentInteraction): RecordedRequest[] {
  return emulator.requests((request) => isCallbackOf(sent)(request) && !request.injectedFault);
}

export function editsOfOriginal(emulator: DiscordEmulator, sent: SentInteraction): RecordedRequest[] {
  return emulator.requests({ method: 'PATCH', path: `/webhooks/${emulator.applicationId}/${sent.token}/messages/@original` });
}

/** The edit of a /reindex reply whose content starts with the final verdict (done or failed). */
export function reindexVerdictEdit(emulator: DiscordEmulator, sent: SentInteraction, timeoutMs = 15_000): Promise<RecordedRequest> {
  return emulator.waitFor(
    () =>
      editsOfOriginal(emulator, sent).find((request) =>
        /^Re-index (done|failed)/.test(String((request.body as { content?: string }).content)),
      ),
    timeoutMs,
    'the final edit of the /reindex reply',
  );
}

interface MessageBodyLike {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  flags?: number;
  allowed_mentions?: unknown;
}

/**
 * Every request that creates or edits a visible message, with the message body: callbacks that
 * carry a message (4 and 7), webhook sends and edits, channel messages. Deferrals (5, 6) and
 * autocomplete results carry no text that could ping.
 */
export function messageBodies(emulator: DiscordEmulator): { request: RecordedRequest; body: MessageBodyLike }[] {
  return emulator.requests().flatMap((request) => {
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || (request.method !== 'POST' && request.method !== 'PATCH')) return [];
    if (callbackPath.test(request.path)) {
      const type = body.type;
      if (type !== InteractionResponseType.ChannelMessageWithSource && type !== InteractionResponseType.UpdateMessage) return [];
      return [{ request, body: (body.data ?? {}) as MessageBodyLike }];
    }
    if (webhookPath.test(request.path) || /^\/channels\/\d+\/messages(\/\d+)?$/.test(request.path)) {
      return [{ request, body: body as MessageBodyLike }];
    }
    return [];
  });
}

/** Discord treats `parse: []` with no user/role lists as "ping nobody"; a reply may also opt out of pinging the replied-to user. */
export function pingsNobody(allowed: unknown): boolean {
  if (typeof allowed !== 'object' || allowed === null) return false;
  const { parse, users, roles, replied_user: repliedUser, ...rest } = allowed as Record<string, unknown>;
  return (
    Array.isArray(parse) &&
    parse.length === 0 &&
    (users === undefined || (Array.isArray(users) && users.length === 0)) &&
    (roles === undefined || (Array.isArray(roles) && roles.length === 0)) &&
    (repliedUser === undefined || repliedUser === false) &&
    Object.keys(rest).length === 0
  );
}

/** Requests the emulator answered with a client error (bad body, late or double ack…), injected faults aside. */
export function rejectedRequests(emulator: DiscordEmulator): RecordedRequest[] {
  return emulator.requests((request) => request.status >= 400 && !request.injectedFault);
}

/**
 * What every bot test asks of the traffic it caused: no call the emulator did not expect, none it
 * refused (too long, late, acknowledged twice: the limits check of record), and no message, by any
 * route, that could ping anyone.
 */
export function expectOrderlyTraffic(emulator: DiscordEmulator): void {
  expect(emulator.unexpectedRequests()).toEqual([]);
  expect(rejectedRequests(emulator)).toEqual([]);
  for (const { request, body } of messageBodies(emulator)) {
    expect({ route: `${request.method} ${request.path}`, pingsNobody: pingsNobody(body.allowed_mentions) }).toMatchObject({ pingsNobody: true });
  }
}

/** Stops what a bot suite started, as far as it got. */
export async function stopBotSuite({ running, emulator, workspace }: { running?: RunningBot; emulator?: DiscordEmulator; workspace?: Workspace }): Promise<void> {
  await running?.bot.stop();
  await emulator?.stop();
  await workspace?.cleanup();
}

/** Every text-bearing field of a message, to check it is escaped or within limits. */
export function embedTotal(embed: APIEmbed): number {
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
}

/**
 * The message a button click was answered with. Until the bot responds, a click's `@original` is
 * the message clicked, so wait for another one.
 */
export function responseToClick(click: SentInteraction, clickedMessageId: string): Promise<APIMessage> {
  return click.waitForResponse((message) => message.id !== clickedMessageId);
}

export function isEphemeral(message: { flags?: number | undefined } | undefined): boolean {
  return ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

/** Custom ids of a message's buttons, row by row. */
export function buttonRows(message: APIMessage): string[][] {
  return (message.components ?? []).map((row) =>
    'components' in row ? (row.components as { custom_id?: string }[]).map((button) => button.custom_id ?? '') : [],
  );
}

export function findButton(message: APIMessage, prefix: string): string {
  const id = buttonRows(message).flat().find((customId) => customId.startsWith(prefix));
  if (id === undefined) throw new Error(`Message ${message.id} has no "${prefix}…" button (has ${buttonRows(message).flat().join(', ')})`);
  return id;
}

/** The `source` cited at the end of each result embed, e.g. "— `000_x.txt` · paragraph 2, line 3". */
export function citedSources(message: APIMessage): string[] {
  return message.embeds.map((embed) => /— `([^`]+)` · [^\n]+$/.exec(embed.description ?? '')?.[1] ?? '(no citation)');
}
