import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationCommandOptionType, ChannelType, GatewayDispatchEvents, GatewayIntentBits, Locale, MessageFlags } from 'discord-api-types/v10';
import type {
  APIApplicationCommand,
  APIApplicationCommandInteractionDataOption,
  APIAttachment,
  APIInteraction,
  APIMessage,
  APIUser,
  GatewayMessageCreateDispatchData,
} from 'discord-api-types/v10';
import { WebSocketServer } from 'ws';
import { GatewayServer, shardOf } from './gateway-server.js';
import type { ConnectionRecord, DispatchRecord, HeartbeatRecord, ReceivedPayload, SessionView } from './gateway-server.js';
import { autocompleteInteraction, buttonInteraction, channelOptionIds, chatInputInteraction, messageCommandInteraction, toInteractionOptions } from './interactions.js';
import type { InteractionPlace, OptionsInput } from './interactions.js';
import { customIdsOf } from './messages.js';
import { BOT_PERMISSIONS, DEFAULT_MEMBER_PERMISSIONS, makeApplication, makeMemberFields, makeUser } from './payloads.js';
import { createSnowflakeGenerator } from './snowflake.js';
import { createRoutes } from './rest-routes.js';
import { RestServer } from './rest-server.js';
import type { FaultOptions, IncomingRequest, RecordedRequest } from './rest-server.js';
import { DEFAULT_WAIT_MS, Signal } from './signal.js';
import type { LogWaitOptions } from './signal.js';
import { EmulatorState } from './state.js';
import type { CallbackRecord, EmulatedChannel, EmulatedGuild, GuildChannelKind, InteractionRecord } from './state.js';

export type { CallbackRecord, EmulatedGuild, InteractionRecord } from './state.js';
export type { ConnectionRecord, DispatchRecord, HeartbeatRecord, ReceivedPayload, SessionView, ShardPair } from './gateway-server.js';
export { shardOf } from './gateway-server.js';
export { guildIdOnShard } from './snowflake.js';
export type { FaultOptions, IncomingRequest, RecordedRequest } from './rest-server.js';
export type { LogWaitOptions } from './signal.js';
export type { OptionsInput } from './interactions.js';

export interface EmulatorOptions {
  /** Discord uses 41 250 ms; tests that watch heartbeats want ~1 000. */
  heartbeatIntervalMs?: number;
  /** How long an interaction may wait for its first callback (Discord: 3 s). */
  interactionAckDeadlineMs?: number;
  /** How long an interaction token may edit its responses and send follow-ups (Discord: 15 minutes). */
  interactionTokenLifetimeMs?: number;
  /** The servers the bot is in; `id` places one on a chosen shard (`shardOf`). */
  guilds?: { name?: string; channelName?: string; id?: string }[];
  /** The shard count GET /gateway/bot recommends (Discord: one per 1,000 servers or so). */
  recommendedShards?: number;
  botUsername?: string;
  /**
   * Whether the developer portal has the privileged Message Content intent switched on (default
   * yes). Off: identifying with it closes the gateway with 4014, and guild messages reach the bot
   * without their text unless they mention it.
   */
  messageContentIntent?: boolean;
  /** The bot's permissions in every channel (default: invited with messages, embeds and threads). */
  botPermissions?: bigint;
}

/** Attachment options go beside the others: inside the subcommand, when one was chosen. */
function withAttachmentOptions(
  options: APIApplicationCommandInteractionDataOption[],
  files: APIApplicationCommandInteractionDataOption[],
): APIApplicationCommandInteractionDataOption[] {
  const [first, ...rest] = options;
  if (first?.type === ApplicationCommandOptionType.Subcommand) return [{ ...first, options: [...(first.options ?? []), ...files] as never }, ...rest];
  return [...options, ...files];
}

/** Who triggers an interaction and where. Defaults: the default user, in the first guild's text channel. */
export interface InteractionSource {
  user?: APIUser;
  /** Run it in the bot's DM (interaction context 1) instead of a guild. */
  dm?: boolean;
  guildId?: string;
  channelId?: string;
  /** The member's permissions in the channel; ignored in DMs. */
  memberPermissions?: bigint;
  roles?: string[];
  locale?: `${Locale}`;
}

export interface SlashCommandOptions extends InteractionSource {
  name: string;
  /** `{ query: 'x' }`, typed from the registered command when one exists, or raw interaction options. */
  options?: OptionsInput;
  /** Files for attachment options, by option name (see `userAttachment`). */
  attachments?: Record<string, APIAttachment>;
}

export interface AutocompleteOptions extends SlashCommandOptions {
  /** The option the user is typing into. */
  focused: string;
}

export interface ButtonClickOptions extends Omit<InteractionSource, 'dm' | 'guildId' | 'channelId'> {
  /** The message carrying the button, as recorded by the emulator, or its id. */
  message: APIMessage | string;
  customId: string;
}

export interface MessageCommandOptions extends Omit<InteractionSource, 'dm' | 'guildId' | 'channelId'> {
  name: string;
  /** The message the command was picked on (Apps → name), as recorded by the emulator, or its id. */
  message: APIMessage | string;
}

export interface SentInteraction {
  id: string;
  token: string;
  payload: APIInteraction;
  /** The emulator's view of the interaction, updated as the bot responds. */
  record(): InteractionRecord;
  /** Resolves with the accepted callback (rejected attempts, e.g. an injected 429, do not count). */
  waitForCallback(timeoutMs?: number): Promise<CallbackRecord>;
  /** Resolves with the original response once it is past "thinking…" and matches the predicate. */
  waitForResponse(predicate?: (message: APIMessage) => boolean, timeoutMs?: number): Promise<APIMessage>;
}

export type RequestFilter = ((request: RecordedRequest) => boolean) | { method?: string; path?: string | RegExp };

function toPredicate(filter: RequestFilter | undefined): (request: RecordedRequest) => boolean {
  if (filter === undefined) return () => true;
  if (typeof filter === 'function') return filter;
  return (request) =>
    (filter.method === undefined || request.method === filter.method.toUpperCase()) &&
    (filter.path === undefined ||
      (typeof filter.path === 'string' ? request.path === filter.path : filter.path.test(request.path)));
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * A loopback stand-in for Discord: REST under `apiUrl`, the gateway at `gatewayUrl`,
 * one in-memory world behind both. Point discord.js at it with
 * `new Client({ ..., rest: { api: emulator.apiUrl } })`.
 */
export class DiscordEmulator {
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  /** The user interactions and DMs come from unless a test names another. */
  readonly defaultUser: APIUser;
  readonly guilds: readonly EmulatedGuild[];
  readonly heartbeatIntervalMs: number;

  readonly #signal: Signal;
  readonly #state: EmulatorState;
  readonly #rest: RestServer;
  readonly #gateway: GatewayServer;
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #unregisteredCommandIds = new Map<string, string>();
  #stopped = false;

  static async start(options: EmulatorOptions = {}): Promise<DiscordEmulator> {
    const server = createServer();
    const port = await listen(server);
    return new DiscordEmulator(server, port, options);
  }

  readonly #cdn = new Map<string, { bytes: Buffer; contentType: string }>();
  readonly #cdnRequests: { path: string; status: number }[] = [];
  #origin = '';

  private constructor(server: Server, port: number, options: EmulatorOptions) {
    this.#server = server;
    this.#signal = new Signal();
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}`;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;

    const newId = createSnowflakeGenerator();
    this.applicationId = newId();
    // A bot user shares its application's id.
    this.botUser = { ...makeUser(this.applicationId, options.botUsername ?? 'Corpus Bot', true), verified: true, mfa_enabled: false };
    const messageContent = options.messageContentIntent ?? true;
    const application = makeApplication(this.applicationId, this.botUser, messageContent);

    this.#state = new EmulatorState({
      newId,
      applicationId: this.applicationId,
      bot: this.botUser,
      ackDeadlineMs: options.interactionAckDeadlineMs ?? 3_000,
      tokenLifetimeMs: options.interactionTokenLifetimeMs ?? 15 * 60_000,
      attachmentBaseUrl: `http://127.0.0.1:${port}/attachments`,
      botPermissions: options.botPermissions ?? BOT_PERMISSIONS,
      onMessageCreated: (message, channel) => this.#announce(message, channel),
      onChannelCreated: (channel) => {
        if (!this.#gateway.currentSession) return;
        const guildId = channel.guild_id ?? null;
        if (channel.type === ChannelType.PublicThread) this.#gateway.dispatch(GatewayDispatchEvents.ThreadCreate, { ...channel, newly_created: true }, GatewayIntentBits.Guilds, guildId);
        else this.#gateway.dispatch(GatewayDispatchEvents.ChannelCreate, channel, GatewayIntentBits.Guilds, guildId);
      },
    });
    this.defaultUser = this.createUser('tester');
    for (const seed of options.guilds ?? [{}]) {
      this.#state.addGuild(seed.name ?? 'Corpus Test Server', seed.channelName ?? 'general', this.defaultUser, seed.id);
    }
    this.guilds = this.#state.guilds;

    this.#rest = new RestServer(createRoutes({ state: this.#state, gatewayUrl: this.gatewayUrl, application, recommendedShards: options.recommendedShards ?? 1 }), this.#signal);
    this.#origin = `http://127.0.0.1:${port}`;
    server.on('request', (request, response) => {
      if (request.url?.startsWith('/attachments/')) this.#serveCdn(request, response);
      else void this.#rest.handle(request, response);
    });
    this.#wss = new WebSocketServer({ server, perMessageDeflate: false });
    this.#gateway = new GatewayServer(
      this.#wss,
      {
        heartbeatIntervalMs: this.heartbeatIntervalMs,
        ready: (sessionId, shard) => ({
          v: 10,
          user: this.botUser,
          guilds: this.guilds.filter((guild) => shardOf(guild.id, shard[1]) === shard[0]).map((guild) => ({ id: guild.id, unavailable: true })),
          session_id: sessionId,
          resume_gateway_url: this.gatewayUrl,
          shard,
          application: { id: application.id, flags: application.flags, flags_new: application.flags_new },
        }),
        guildCreates: (shard) => this.guilds.filter((guild) => shardOf(guild.id, shard[1]) === shard[0]).map((guild) => guild.payload),
        // Privileged intents the portal has not switched on; Members and Presences are never on here.
        disallowedIntents:
          GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | (messageContent ? 0 : GatewayIntentBits.MessageContent),
      },
      this.#signal,
    );
  }

  createUser(username = 'user'): APIUser {
    const user = makeUser(this.#state.newId(), username, false);
    this.#state.users.set(user.id, user);
    return user;
  }

  // ---- REST log -------------------------------------------------------------

  /** Every REST call so far (optionally filtered), including injected faults and unknown routes. */
  requests(filter?: RequestFilter): RecordedRequest[] {
    return this.#rest.requests.all().filter(toPredicate(filter));
  }

  /** Read before acting, then pass as `since` so only later calls count. */
  get requestCount(): number {
    return this.#rest.requests.length;
  }

  waitForRequest(filter: RequestFilter, options?: LogWaitOptions): Promise<RecordedRequest> {
    return this.#rest.requests.waitFor(toPredicate(filter), options);
  }

  /** Calls to routes the emulator does not know, or that crashed it; a clean run has none. */
  unexpectedRequests(): RecordedRequest[] {
    return this.requests((request) => request.unexpected !== null);
  }

  /** Answers the next REST call matching the predicate with an error (a real 429 by default) instead of handling it. */
  failNextRequest(predicate: (request: IncomingRequest) => boolean, options: FaultOptions = {}): void {
    this.#rest.failNext(predicate, options);
  }

  // ---- Gateway --------------------------------------------------------------

  /** Sends a dispatch event to the session of `guildId`'s shard (null: shard 0); false if it has none or its intents exclude `requiredIntent`. */
  dispatch(event: string, data: unknown, requiredIntent = 0, guildId: string | null = null): boolean {
    return this.#gateway.dispatch(event, data, requiredIntent, guildId);
  }

  /** Drops the gateway socket mid-session (default 4000, which discord.js resumes from): the latest session's, or a shard's. */
  closeConnection(code = 4000, shard?: number): void {
    this.#gateway.closeConnection(code, shard);
  }

  /** Sends op 7 RECONNECT, which makes discord.js reconnect and resume. */
  requestReconnect(): void {
    this.#gateway.requestReconnect();
  }

  /** The session most recently identified or resumed (with one shard, the one dispatches go to). */
  get session(): SessionView | null {
    return this.#gateway.currentSession;
  }

  /** Each shard's session, by shard id. */
  get shardSessions(): SessionView[] {
    return this.#gateway.shardSessions;
  }

  /** The session a guild's events go to (null: DMs, on shard 0). */
  sessionFor(guildId: string | null): SessionView | null {
    return this.#gateway.sessionFor(guildId);
  }

  /** Payloads the client sent (IDENTIFY, RESUME, HEARTBEAT…), optionally only one opcode. */
  gatewayPayloads(op?: number): ReceivedPayload[] {
    return this.#gateway.received.all().filter((payload) => op === undefined || payload.op === op);
  }

  get gatewayPayloadCount(): number {
    return this.#gateway.received.length;
  }

  waitForGatewayPayload(predicate: (payload: ReceivedPayload) => boolean, options?: LogWaitOptions): Promise<ReceivedPayload> {
    return this.#gateway.received.waitFor(predicate, options);
  }

  heartbeats(): readonly HeartbeatRecord[] {
    return this.#gateway.heartbeats.all();
  }

  connections(): readonly ConnectionRecord[] {
    return this.#gateway.connections.all();
  }

  dispatches(): readonly DispatchRecord[] {
    return this.#gateway.dispatches.all();
  }

  // ---- Builders ------------------------------------------------------------

  #place(source: InteractionSource, channel?: EmulatedChannel): InteractionPlace {
    const guildChannel = () => {
      const guild = source.guildId === undefined ? this.guilds[0] : this.guilds.find((g) => g.id === source.guildId);
      if (!guild) throw new Error(`No emulated guild ${String(source.guildId)}`);
      return this.#state.requireChannel(source.channelId ?? guild.textChannelId);
    };
    const dmRecipient = channel && channel.type === ChannelType.DM ? channel.recipients?.[0] : undefined;
    const user = source.user ?? dmRecipient ?? this.defaultUser;
    this.#state.users.set(user.id, user);
    const resolved = channel ?? (source.dm ? this.#state.dmChannelFor(user) : guildChannel());
    const guildId = this.#state.guildOf(resolved);
    const guildPayload = this.guilds.find((guild) => guild.id === guildId)?.payload;
    return {
      guildId,
      channel: resolved,
      user,
      memberPermissions: source.memberPermissions ?? DEFAULT_MEMBER_PERMISSIONS,
      appPermissions: this.#state.config.botPermissions,
      roles: source.roles ?? [],
      memberJoinedAt: guildPayload?.joined_at ?? new Date().toISOString(),
      locale: (source.locale ?? Locale.EnglishUS) as Locale,
      guildLocale: guildPayload?.preferred_locale ?? Locale.EnglishUS,
    };
  }

  #identity() {
    return { id: this.#state.newId(), token: `emulated-${this.#state.newId()}`, applicationId: this.applicationId };
  }

  #command(name: string, guildId: string | null) {
    const registered = this.#state.findCommand(name, guildId);
    let id = registered?.id ?? this.#unregisteredCommandIds.get(name);
    if (id === undefined) {
      id = this.#state.newId();
      this.#unregisteredCommandIds.set(name, id);
    }
    return { registered, id, guildId: registered?.guild_id ?? null };
  }

  #send(payload: APIInteraction, user: APIUser, originalMessageId: string | null): SentInteraction {
    const record = this.#state.registerInteraction(payload, user, originalMessageId);
    this.#gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload, 0, payload.guild_id ?? null);
    const token = record.token;
    return {
      id: record.id,
      token,
      payload,
      record: () => record,
      waitForCallback: (timeoutMs = DEFAULT_WAIT_MS) =>
        this.waitFor(() => record.callback ?? undefined, timeoutMs, `a callback for interaction ${record.id}`),
      waitForResponse: (predicate = () => true, timeoutMs = DEFAULT_WAIT_MS) =>
        this.waitFor(
          () => {
            const message = this.interactionResponse(token);
            const loading = ((message?.flags ?? 0) & MessageFlags.Loading) !== 0;
            return message && !loading && predicate(message) ? message : undefined;
          },
          timeoutMs,
          `the response to interaction ${record.id}`,
        ),
    };
  }

  /** Dispatches a chat-input command (interaction type 2) as if a user ran it. */
  sendSlashCommand(options: SlashCommandOptions): SentInteraction {
    const place = this.#place(options);
    const command = this.#command(options.name, place.guildId);
    const attached = Object.entries(options.attachments ?? {});
    const interactionOptions = withAttachmentOptions(
      toInteractionOptions(options.options, command.registered),
      attached.map(([name, file]) => ({ name, type: ApplicationCommandOptionType.Attachment as const, value: file.id })),
    );
    const payload = chatInputInteraction(this.#identity(), place, {
      id: command.id,
      name: options.name,
      guildId: command.guildId,
      options: interactionOptions,
      attachments: attached.map(([, file]) => file),
      channels: channelOptionIds(interactionOptions).map((id) => this.#state.requireChannel(id)),
    });
    return this.#send(payload, place.user, null);
  }

  /** Dispatches an autocomplete request (type 4) with `focused` marking the option being typed. */
  sendAutocomplete(options: AutocompleteOptions): SentInteraction {
    const place = this.#place(options);
    const command = this.#command(options.name, place.guildId);
    const values = options.options;
    if (values !== undefined && !Array.isArray(values) && !(options.focused in values)) {
      throw new Error(`Focused option "${options.focused}" is missing from options`);
    }
    const payload = autocompleteInteraction(this.#identity(), place, {
      id: command.id,
      name: options.name,
      guildId: command.guildId,
      options: toInteractionOptions(values, command.registered, options.focused),
    });
    return this.#send(payload, place.user, null);
  }

  /** Dispatches a button press (type 3) on a message the bot posted; `@original` then means that message. */
  clickButton(options: ButtonClickOptions): SentInteraction {
    const id = typeof options.message === 'string' ? options.message : options.message.id;
    // The stored copy reflects later edits; the caller's copy may be stale.
    const message = this.#state.messages.get(id) ?? (typeof options.message === 'string' ? undefined : options.message);
    if (!message) throw new Error(`Unknown message ${id}`);
    const customIds = customIdsOf(message);
    if (!customIds.includes(options.customId)) {
      throw new Error(`Message ${id} has no component "${options.customId}" (has: ${customIds.join(', ') || 'none'})`);
    }
    this.#state.messages.set(message.id, message);
    const place = this.#place(options, this.#state.requireChannel(message.channel_id));
    const payload = buttonInteraction(this.#identity(), place, options.customId, message);
    return this.#send(payload, place.user, message.id);
  }

  /** Dispatches a message command (type 2, command type 3) picked on a message, in that message's channel. */
  sendMessageCommand(options: MessageCommandOptions): SentInteraction {
    const id = typeof options.message === 'string' ? options.message : options.message.id;
    const message = this.#state.messages.get(id);
    if (!message) throw new Error(`Unknown message ${id}`);
    const place = this.#place(options, this.#state.requireChannel(message.channel_id));
    const command = this.#command(options.name, place.guildId);
    const payload = messageCommandInteraction(this.#identity(), place, { id: command.id, name: options.name, guildId: command.guildId }, message);
    return this.#send(payload, place.user, null);
  }

  /**
   * A file a user attaches to a command, served by the emulator's loopback CDN at its `url`
   * (Discord signs attachment URLs and serves them without the bot token). `size` is the bytes'.
   */
  userAttachment(options: { filename: string; content: string | Uint8Array; contentType?: string }): APIAttachment {
    const id = this.#state.newId();
    const bytes = typeof options.content === 'string' ? Buffer.from(options.content, 'utf8') : Buffer.from(options.content);
    const path = `/attachments/ephemeral/${id}/${encodeURIComponent(options.filename)}`;
    this.#cdn.set(path, { bytes, contentType: options.contentType ?? 'text/plain; charset=utf-8' });
    const url = `${this.#origin}${path}?ex=${Math.floor(Date.now() / 1000 + 86_400).toString(16)}`;
    return { id, filename: options.filename, size: bytes.length, url, proxy_url: url, content_type: options.contentType ?? 'text/plain; charset=utf-8' };
  }

  /** GETs the loopback CDN answered, oldest first. */
  cdnRequests(): readonly { path: string; status: number }[] {
    return this.#cdnRequests;
  }

  #serveCdn(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '').split('?')[0]!;
    const file = request.method === 'GET' ? this.#cdn.get(path) : undefined;
    this.#cdnRequests.push({ path, status: file ? 200 : 404 });
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    } else {
      response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length }).end(file.bytes);
    }
    this.#signal.notify();
  }

  /** A server admin adds a text or forum channel; a bot in session gets CHANNEL_CREATE. */
  createChannel(options: { name: string; kind: GuildChannelKind; guildId?: string }): EmulatedChannel {
    return this.#state.addGuildChannel(options.guildId ?? this.guilds[0]!.id, options.name, options.kind);
  }

  /** A server admin deletes a channel; a bot in session gets CHANNEL_DELETE. */
  deleteChannel(channelId: string): void {
    const channel = this.#state.deleteGuildChannel(channelId);
    if (this.#gateway.currentSession) this.#gateway.dispatch(GatewayDispatchEvents.ChannelDelete, channel, GatewayIntentBits.Guilds, channel.guild_id ?? null);
  }

  /**
   * A user opens a post in a forum channel: THREAD_CREATE (Guilds intent), then the starter
   * message, whose id is the thread's, as MESSAGE_CREATE (GuildMessages intent); `delivered`
   * says whether the message reached the bot.
   */
  createForumPost(options: { forumId: string; title: string; content: string; user?: APIUser }): { thread: EmulatedChannel; message: APIMessage; delivered: boolean } {
    const user = options.user ?? this.defaultUser;
    this.#state.users.set(user.id, user);
    const { thread, message } = this.#state.addForumPost(options.forumId, user, options.title, options.content);
    const delivered = this.#gateway.dispatch(GatewayDispatchEvents.MessageCreate, this.#gatewayMessage(message, thread), GatewayIntentBits.GuildMessages, this.#state.guildOf(thread));
    return { thread, message, delivered };
  }

  /** A channel or thread as it is now (threads count their messages). */
  channel(id: string): EmulatedChannel | undefined {
    return this.#state.channels.get(id);
  }

  /**
   * A user posts in a server's text channel or thread. Discord delivers it to bots with the
   * GuildMessages intent only, and without its text unless they also have Message Content (or
   * are mentioned); `delivered` says whether it was sent. `replyTo`: the message it replies to.
   */
  postChannelMessage(options: { user?: APIUser; content: string; guildId?: string; channelId?: string; replyTo?: string }): { message: APIMessage; delivered: boolean } {
    const user = options.user ?? this.defaultUser;
    const place = this.#place({ user, guildId: options.guildId, channelId: options.channelId });
    const channel = this.#state.requireChannel(place.channel.id);
    const message = this.#state.addUserMessage(channel, user, options.content, { replyTo: options.replyTo });
    const delivered = this.#gateway.dispatch(GatewayDispatchEvents.MessageCreate, this.#gatewayMessage(message, channel), GatewayIntentBits.GuildMessages, place.guildId);
    return { message, delivered };
  }

  /**
   * A user writes to the bot in DMs. Discord delivers it only with the DirectMessages
   * intent (content included without MessageContent); `delivered` says whether it was.
   */
  sendDirectMessage(options: { user?: APIUser; content: string }): { message: APIMessage; delivered: boolean } {
    const user = options.user ?? this.defaultUser;
    this.#state.users.set(user.id, user);
    const channel = this.#state.dmChannelFor(user);
    const message = this.#state.addUserMessage(channel, user, options.content);
    const delivered = this.#gateway.dispatch(
      GatewayDispatchEvents.MessageCreate,
      this.#gatewayMessage(message, channel),
      GatewayIntentBits.DirectMessages,
    );
    return { message, delivered };
  }

  /**
   * discord.js needs `channel_type` to build an uncached DM channel (with Partials.Channel);
   * guild messages carry the author's member object.
   */
  #gatewayMessage(message: APIMessage, channel: EmulatedChannel): GatewayMessageCreateDispatchData {
    const guildId = this.#state.guildOf(channel);
    // Messages exist only in text-based channels (a forum's are in its posts' threads).
    const channelType = channel.type as Exclude<EmulatedChannel['type'], ChannelType.GuildForum>;
    if (guildId === null) return { ...message, channel_type: channelType };
    const joinedAt = this.guilds.find((guild) => guild.id === guildId)?.payload.joined_at ?? message.timestamp;
    const readable = this.#canRead(message, guildId);
    return {
      ...message,
      ...(readable ? {} : { content: '', embeds: [], attachments: [], components: [] }),
      channel_type: channelType,
      guild_id: guildId,
      member: makeMemberFields([], joinedAt),
    };
  }

  /** Without Message Content, a guild message's text reaches a bot only if it wrote it or is mentioned in it. */
  #canRead(message: APIMessage, guildId: string): boolean {
    const intents = this.#gateway.sessionFor(guildId)?.intents ?? 0;
    if ((intents & GatewayIntentBits.MessageContent) !== 0) return true;
    return message.author.id === this.botUser.id || message.mentions.some((user) => user.id === this.botUser.id);
  }

  /** Discord echoes every visible message to the gateway, including the bot's own. */
  #announce(message: APIMessage, channel: EmulatedChannel): void {
    if (((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0 || !this.#gateway.currentSession) return;
    const intent = channel.type === ChannelType.DM ? GatewayIntentBits.DirectMessages : GatewayIntentBits.GuildMessages;
    this.#gateway.dispatch(GatewayDispatchEvents.MessageCreate, this.#gatewayMessage(message, channel), intent, this.#state.guildOf(channel));
  }

  // ---- World state ---------------------------------------------------------

  message(id: string): APIMessage | undefined {
    return this.#state.messages.get(id);
  }

  channelMessages(channelId: string): APIMessage[] {
    return [...this.#state.messages.values()].filter((message) => message.channel_id === channelId);
  }

  interaction(token: string): InteractionRecord | undefined {
    return this.#state.interactions.get(token);
  }

  /** The current state of an interaction's original response (`@original`). */
  interactionResponse(token: string): APIMessage | undefined {
    const id = this.#state.interactions.get(token)?.originalMessageId;
    return id === null || id === undefined ? undefined : this.#state.messages.get(id);
  }

  followUps(token: string): APIMessage[] {
    const ids = this.#state.interactions.get(token)?.followUpIds ?? [];
    return ids.flatMap((id) => this.#state.messages.get(id) ?? []);
  }

  /** Registered application commands: global, or a guild's. */
  commands(guildId?: string): APIApplicationCommand[] {
    return this.#state.commands(this.applicationId, guildId ?? null);
  }

  /** Resolves once the probe returns a value; re-checked after every REST call and gateway event. */
  waitFor<T>(probe: () => T | undefined, timeoutMs = DEFAULT_WAIT_MS, description = probe.toString()): Promise<T> {
    return this.#signal.until(probe, timeoutMs, () => description);
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#signal.close('The Discord emulator was stopped');
    this.#gateway.close();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
