import { ApplicationCommandType, ChannelType, InteractionResponseType, InteractionType, MessageType } from 'discord-api-types/v10';
import type {
  APIApplicationCommand,
  APIApplicationCommandOptionChoice,
  APIAttachment,
  APIDMChannel,
  APIInteraction,
  APIMessage,
  APIMessageInteractionMetadata,
  APITextChannel,
  APIUser,
  GatewayGuildCreateDispatchData,
} from 'discord-api-types/v10';
import { DiscordApiError, FormErrors, apiErrors } from './api-error.js';
import type { UploadedFile } from './http-body.js';
import { applyEdit, buildMessage } from './messages.js';
import { makeDmChannel, makeGuildCreate, makeTextChannel } from './payloads.js';
import { parseAutocompleteChoices, parseCommandList, parseMessageBody, requireObject } from './validation.js';
import type { MessageBody } from './validation.js';

export type EmulatedChannel = APITextChannel | APIDMChannel;

export interface EmulatedGuild {
  id: string;
  name: string;
  textChannelId: string;
  payload: GatewayGuildCreateDispatchData;
}

export interface CallbackRecord {
  type: InteractionResponseType;
  /** The callback's `data` as sent (message body, choices…). */
  data: unknown;
  at: number;
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: InteractionType;
  payload: APIInteraction;
  channelId: string;
  guildId: string | null;
  user: APIUser;
  dispatchedAt: number;
  callback: CallbackRecord | null;
  /** For commands, the reply the callback created; for components, the message clicked. */
  originalMessageId: string | null;
  followUpIds: string[];
  autocompleteChoices: APIApplicationCommandOptionChoice[] | null;
}

export interface StateConfig {
  /** Shared with the emulator so every id in one world is unique and time-ordered. */
  newId: () => string;
  applicationId: string;
  bot: APIUser;
  /** Discord drops an interaction that is not acknowledged within 3 s. */
  ackDeadlineMs: number;
  /** An interaction token works for 15 minutes; after that its webhook refuses edits and follow-ups. */
  tokenLifetimeMs: number;
  attachmentBaseUrl: string;
  onMessageCreated(message: APIMessage, channel: EmulatedChannel): void;
}

export interface CallbackOutcome {
  record: InteractionRecord;
  /** The message the callback created or updated, if any. */
  message: APIMessage | null;
}

const GLOBAL_SCOPE = 'global';

/** The emulator's in-memory Discord: everything REST calls and test builders change. */
export class EmulatorState {
  readonly newId: () => string;
  readonly users = new Map<string, APIUser>();
  readonly guilds: EmulatedGuild[] = [];
  readonly channels = new Map<string, EmulatedChannel>();
  readonly messages = new Map<string, APIMessage>();
  /** Keyed by token, which is how every webhook route names an interaction. */
  readonly interactions = new Map<string, InteractionRecord>();
  readonly #commands = new Map<string, APIApplicationCommand[]>();
  readonly #dmByUser = new Map<string, string>();

  constructor(readonly config: StateConfig) {
    this.newId = config.newId;
    this.users.set(config.bot.id, config.bot);
  }

  addGuild(name: string, channelName: string, owner: APIUser, id = this.newId()): EmulatedGuild {
    const channel = makeTextChannel(this.newId(), id, channelName);
    const payload = makeGuildCreate({
      id,
      name,
      ownerId: owner.id,
      channel,
      bot: this.config.bot,
      joinedAt: new Date().toISOString(),
    });
    const guild = { id, name, textChannelId: channel.id, payload };
    this.guilds.push(guild);
    this.channels.set(channel.id, channel);
    return guild;
  }

  requireChannel(id: string): EmulatedChannel {
    const channel = this.channels.get(id);
    if (!channel) throw apiErrors.unknownChannel();
    return channel;
  }

  guildOf(channel: EmulatedChannel): string | null {
    return 'guild_id' in channel ? (channel.guild_id ?? null) : null;
  }

  dmChannelFor(user: APIUser): APIDMChannel {
    const existing = this.#dmByUser.get(user.id);
    const channel = existing === undefined ? undefined : this.channels.get(existing);
    if (channel?.type === ChannelType.DM) return channel;
    const created = makeDmChannel(this.newId(), user);
    this.channels.set(created.id, created);
    this.#dmByUser.set(user.id, created.id);
    return created;
  }

  openDm(rawBody: unknown): APIDMChannel {
    const recipientId = requireObject(rawBody).recipient_id;
    const user = typeof recipientId === 'string' ? this.users.get(recipientId) : undefined;
    if (!user || user.id === this.config.bot.id) throw apiErrors.invalidRecipient();
    return this.dmChannelFor(user);
  }

  /** Stores a message and lets the gateway announce it, as Discord does for every new message. */
  #store(message: APIMessage, channel: EmulatedChannel): APIMessage {
    this.messages.set(message.id, message);
    channel.last_message_id = message.id;
    this.config.onMessageCreated(message, channel);
    return message;
  }

  #attachments(channelId: string, files: UploadedFile[]): APIAttachment[] {
    return files.map((file) => {
      const id = this.newId();
      const url = `${this.config.attachmentBaseUrl}/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
      return { id, filename: file.filename, size: file.data.length, url, proxy_url: url, content_type: file.contentType };
    });
  }

  #edit(message: APIMessage, body: MessageBody, files: UploadedFile[]): APIMessage {
    const kept = body.attachments
      ? message.attachments.filter((attachment) => body.attachments?.some((keep) => String(keep.id) === attachment.id))
      : message.attachments;
    const edited = applyEdit(message, body, this.users, [...kept, ...this.#attachments(message.channel_id, files)]);
    this.messages.set(edited.id, edited);
    return edited;
  }

  /** A message a user sends; the bot learns of it only through the gateway. */
  addUserMessage(channel: EmulatedChannel, author: APIUser, content: string): APIMessage {
    const message = buildMessage(
      { id: this.newId(), channelId: channel.id, guildId: this.guildOf(channel), author, type: MessageType.Default, attachments: [] },
      { content },
      this.users,
    );
    this.messages.set(message.id, message);
    channel.last_message_id = message.id;
    return message;
  }

  createChannelMessage(channelId: string, rawBody: unknown, files: UploadedFile[]): APIMessage {
    const channel = this.requireChannel(channelId);
    const body = parseMessageBody(rawBody, { create: true, hasFiles: files.length > 0 });
    const referenceId = body.message_reference?.message_id;
    const candidate = referenceId === undefined ? undefined : this.messages.get(referenceId);
    const referenced = candidate?.channel_id === channelId ? candidate : undefined;
    if (referenceId !== undefined && !referenced && body.message_reference?.fail_if_not_exists !== false) {
      const errors = new FormErrors();
      errors.add(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
      errors.throwIfAny();
    }
    const message = buildMessage(
      {
        id: this.newId(),
        channelId,
        guildId: this.guildOf(channel),
        author: this.config.bot,
        type: referenced ? MessageType.Reply : MessageType.Default,
        ...(referenced ? { referenced } : {}),
        attachments: this.#attachments(channelId, files),
      },
      body,
      this.users,
    );
    return this.#store(message, channel);
  }

  channelMessage(channelId: string, messageId: string): APIMessage {
    this.requireChannel(channelId);
    const message = this.messages.get(messageId);
    if (!message || message.channel_id !== channelId) throw apiErrors.unknownMessage();
    return message;
  }

  editChannelMessage(channelId: string, messageId: string, rawBody: unknown, files: UploadedFile[]): APIMessage {
    const message = this.channelMessage(channelId, messageId);
    if (message.author.id !== this.config.bot.id) throw apiErrors.cannotEditOthersMessage();
    return this.#edit(message, parseMessageBody(rawBody, { create: false, hasFiles: files.length > 0 }), files);
  }

  deleteChannelMessage(channelId: string, messageId: string): void {
    this.channelMessage(channelId, messageId);
    this.messages.delete(messageId);
  }

  registerInteraction(payload: APIInteraction, user: APIUser, originalMessageId: string | null): InteractionRecord {
    const channelId = payload.channel?.id;
    if (channelId === undefined) throw new Error('Emulated interactions always happen in a channel');
    const record: InteractionRecord = {
      id: payload.id,
      token: payload.token,
      type: payload.type,
      payload,
      channelId,
      guildId: payload.guild_id ?? null,
      user,
      dispatchedAt: Date.now(),
      callback: null,
      originalMessageId,
      followUpIds: [],
      autocompleteChoices: null,
    };
    this.interactions.set(record.token, record);
    return record;
  }

  #metadata(record: InteractionRecord): APIMessageInteractionMetadata {
    const base = {
      id: record.id,
      user: record.user,
      authorizing_integration_owners: record.payload.authorizing_integration_owners,
    };
    if (record.type === InteractionType.MessageComponent) {
      return { ...base, type: InteractionType.MessageComponent, interacted_message_id: record.originalMessageId ?? '0' };
    }
    return { ...base, type: InteractionType.ApplicationCommand };
  }

  /** Messages sent through the interaction webhook: the reply and follow-ups. */
  #createInteractionMessage(record: InteractionRecord, body: MessageBody, files: UploadedFile[], loading: boolean): APIMessage {
    const channel = this.requireChannel(record.channelId);
    const message = buildMessage(
      {
        id: this.newId(),
        channelId: channel.id,
        guildId: record.guildId,
        author: this.config.bot,
        type: record.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
        webhookId: this.config.applicationId,
        applicationId: this.config.applicationId,
        interactionMetadata: this.#metadata(record),
        attachments: this.#attachments(channel.id, files),
        loading,
      },
      body,
      this.users,
    );
    return this.#store(message, channel);
  }

  #requireCallbackKind(record: InteractionRecord, allowed: InteractionType[], type: number): void {
    if (allowed.includes(record.type)) return;
    const errors = new FormErrors();
    errors.add(['type'], 'INTERACTION_CALLBACK_TYPE_INVALID', `Callback type ${type} is not valid for interaction type ${record.type}`);
    errors.throwIfAny();
  }

  respondToInteraction(interactionId: string, token: string, rawBody: unknown, files: UploadedFile[]): CallbackOutcome {
    const record = this.interactions.get(token);
    if (!record || record.id !== interactionId) throw apiErrors.unknownInteraction();
    if (record.callback) throw apiErrors.alreadyAcknowledged();
    if (Date.now() - record.dispatchedAt > this.config.ackDeadlineMs) throw apiErrors.unknownInteraction();
    const body = requireObject(rawBody);
    const type = body.type;
    const commandKinds = [InteractionType.ApplicationCommand, InteractionType.MessageComponent];
    let message: APIMessage | null = null;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        this.#requireCallbackKind(record, commandKinds, type);
        const parsed = parseMessageBody(body.data, { create: true, hasFiles: files.length > 0 });
        message = this.#createInteractionMessage(record, parsed, files, false);
        record.originalMessageId = message.id;
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        this.#requireCallbackKind(record, commandKinds, type);
        const parsed = body.data === undefined ? {} : parseMessageBody(body.data, { create: false, hasFiles: false });
        message = this.#createInteractionMessage(record, { flags: parsed.flags ?? 0 }, [], true);
        record.originalMessageId = message.id;
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        this.#requireCallbackKind(record, [InteractionType.MessageComponent], type);
        break;
      case InteractionResponseType.UpdateMessage: {
        this.#requireCallbackKind(record, [InteractionType.MessageComponent], type);
        const original = this.messages.get(record.originalMessageId ?? '');
        if (!original) throw apiErrors.unknownMessage();
        message = this.#edit(original, parseMessageBody(body.data, { create: false, hasFiles: files.length > 0 }), files);
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
        this.#requireCallbackKind(record, [InteractionType.ApplicationCommandAutocomplete], type);
        record.autocompleteChoices = parseAutocompleteChoices(body.data);
        break;
      default: {
        const errors = new FormErrors();
        errors.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of the supported callback types (got ${String(type)}).`);
        errors.throwIfAny();
      }
    }
    record.callback = { type: type as InteractionResponseType, data: body.data, at: Date.now() };
    return { record, message };
  }

  #webhookInteraction(applicationId: string, token: string): InteractionRecord {
    if (applicationId !== this.config.applicationId) throw apiErrors.unknownWebhook();
    const record = this.interactions.get(token);
    // Discord answers an expired token as it answers one it never issued.
    if (!record || Date.now() - record.dispatchedAt > this.config.tokenLifetimeMs) {
      throw new DiscordApiError(401, 50027, 'Invalid Webhook Token');
    }
    return record;
  }

  #webhookMessage(record: InteractionRecord, messageId: string): APIMessage {
    const id = messageId === '@original' ? record.originalMessageId : messageId;
    const ownsMessage = id !== null && (id === record.originalMessageId || record.followUpIds.includes(id));
    // Before the interaction is acknowledged there is no original response to address.
    const message = ownsMessage && record.callback ? this.messages.get(id) : undefined;
    if (!message) throw apiErrors.unknownMessage();
    return message;
  }

  webhookMessage(applicationId: string, token: string, messageId: string): APIMessage {
    return this.#webhookMessage(this.#webhookInteraction(applicationId, token), messageId);
  }

  editWebhookMessage(applicationId: string, token: string, messageId: string, rawBody: unknown, files: UploadedFile[]): APIMessage {
    const message = this.webhookMessage(applicationId, token, messageId);
    return this.#edit(message, parseMessageBody(rawBody, { create: false, hasFiles: files.length > 0 }), files);
  }

  deleteWebhookMessage(applicationId: string, token: string, messageId: string): void {
    const record = this.#webhookInteraction(applicationId, token);
    const message = this.#webhookMessage(record, messageId);
    this.messages.delete(message.id);
    record.followUpIds = record.followUpIds.filter((id) => id !== message.id);
  }

  createFollowUp(applicationId: string, token: string, rawBody: unknown, files: UploadedFile[]): APIMessage {
    const record = this.#webhookInteraction(applicationId, token);
    if (!record.callback) throw apiErrors.unknownWebhook();
    const body = parseMessageBody(rawBody, { create: true, hasFiles: files.length > 0 });
    const message = this.#createInteractionMessage(record, body, files, false);
    record.followUpIds.push(message.id);
    return message;
  }

  #scope(applicationId: string, guildId: string | null): string {
    if (applicationId !== this.config.applicationId) throw apiErrors.notFound();
    if (guildId === null) return GLOBAL_SCOPE;
    if (!this.guilds.some((guild) => guild.id === guildId)) throw new DiscordApiError(403, 50001, 'Missing Access');
    return guildId;
  }

  commands(applicationId: string, guildId: string | null): APIApplicationCommand[] {
    return this.#commands.get(this.#scope(applicationId, guildId)) ?? [];
  }

  /** Discord keeps a command's id across overwrites as long as its name and type stay. */
  #toCommand(raw: Record<string, unknown>, guildId: string | null, previous: APIApplicationCommand[]): APIApplicationCommand {
    const type = typeof raw.type === 'number' ? raw.type : ApplicationCommandType.ChatInput;
    const existing = previous.find((command) => command.name === raw.name && command.type === type);
    return {
      ...raw,
      id: existing?.id ?? this.newId(),
      application_id: this.config.applicationId,
      version: this.newId(),
      type,
      name: String(raw.name),
      description: typeof raw.description === 'string' ? raw.description : '',
      default_member_permissions: typeof raw.default_member_permissions === 'string' ? raw.default_member_permissions : null,
      ...(guildId === null ? {} : { guild_id: guildId }),
    } as APIApplicationCommand;
  }

  overwriteCommands(applicationId: string, guildId: string | null, rawBody: unknown): APIApplicationCommand[] {
    const scope = this.#scope(applicationId, guildId);
    const previous = this.#commands.get(scope) ?? [];
    const commands = parseCommandList(rawBody).map((raw) => this.#toCommand(raw, guildId, previous));
    this.#commands.set(scope, commands);
    return commands;
  }

  /** Creating a command whose name exists replaces it, which Discord answers with 200 instead of 201. */
  upsertCommand(applicationId: string, guildId: string | null, rawBody: unknown): { command: APIApplicationCommand; created: boolean } {
    const scope = this.#scope(applicationId, guildId);
    const previous = this.#commands.get(scope) ?? [];
    const [raw] = parseCommandList([rawBody]);
    const command = this.#toCommand(raw ?? {}, guildId, previous);
    const created = !previous.some((existing) => existing.id === command.id);
    this.#commands.set(scope, [...previous.filter((existing) => existing.id !== command.id), command]);
    return { command, created };
  }

  /** The command a test invokes by name: guild commands shadow global ones, as in the Discord client. */
  findCommand(name: string, guildId: string | null): APIApplicationCommand | undefined {
    const inGuild = guildId === null ? undefined : this.#commands.get(guildId)?.find((command) => command.name === name);
    return inGuild ?? this.#commands.get(GLOBAL_SCOPE)?.find((command) => command.name === name);
  }
}
