import { ChannelType, MessageType, PermissionFlagsBits } from 'discord-api-types/v10';
import type {
  APIAttachment,
  APIDMChannel,
  APIGuildForumChannel,
  APIMessage,
  APITextChannel,
  APIThreadChannel,
  APIUser,
  GatewayGuildCreateDispatchData,
} from 'discord-api-types/v10';
import { DiscordApiError, FormErrors, apiErrors } from './api-error.js';
import type { UploadedFile } from './http-body.js';
import { applyEdit, buildMessage } from './messages.js';
import { makeDmChannel, makeForumChannel, makeGuildCreate, makeTextChannel, makeThreadChannel } from './payloads.js';
import { parseMessageBody, parseThreadBody, requireObject } from './validation.js';
import type { MessageBody } from './validation.js';

export type EmulatedChannel = APITextChannel | APIDMChannel | APIGuildForumChannel | APIThreadChannel;
export type GuildChannelKind = 'text' | 'forum';

const isThread = (channel: EmulatedChannel): channel is APIThreadChannel => channel.type === ChannelType.PublicThread;

export interface EmulatedGuild {
  id: string;
  name: string;
  textChannelId: string;
  payload: GatewayGuildCreateDispatchData;
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
  /** What the bot may do in every channel of every server (Discord computes it from roles and overwrites). */
  botPermissions: bigint;
  onMessageCreated(message: APIMessage, channel: EmulatedChannel): void;
  /** A channel or thread came into being after the guild was announced (CHANNEL_CREATE / THREAD_CREATE). */
  onChannelCreated(channel: APITextChannel | APIGuildForumChannel | APIThreadChannel): void;
}

/** Users, guilds, channels and their messages: the part of the emulated world that is not interactions or commands. */
export class ChannelState {
  readonly newId: () => string;
  readonly users = new Map<string, APIUser>();
  readonly guilds: EmulatedGuild[] = [];
  readonly channels = new Map<string, EmulatedChannel>();
  readonly messages = new Map<string, APIMessage>();
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

  requireGuild(id: string): EmulatedGuild {
    const guild = this.guilds.find((candidate) => candidate.id === id);
    if (!guild) throw new DiscordApiError(404, 10004, 'Unknown Guild');
    return guild;
  }

  /** A channel a server's admin adds: listed in the guild for later sessions, announced to the current one. */
  addGuildChannel(guildId: string, name: string, kind: GuildChannelKind): APITextChannel | APIGuildForumChannel {
    const guild = this.requireGuild(guildId);
    const channel = kind === 'forum' ? makeForumChannel(this.newId(), guildId, name) : makeTextChannel(this.newId(), guildId, name);
    guild.payload.channels.push(channel);
    this.channels.set(channel.id, channel);
    this.config.onChannelCreated(channel);
    return channel;
  }

  /** A server admin deletes a channel: gone from the guild and from the world. */
  deleteGuildChannel(channelId: string): APITextChannel | APIGuildForumChannel {
    const channel = this.requireChannel(channelId);
    if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildForum) throw new Error(`Channel ${channelId} is not a text or forum channel`);
    const guild = this.requireGuild(channel.guild_id ?? '');
    guild.payload.channels = guild.payload.channels.filter((candidate) => candidate.id !== channelId);
    this.channels.delete(channelId);
    return channel;
  }

  #addThread(parent: APITextChannel | APIGuildForumChannel, id: string, name: string, owner: APIUser): APIThreadChannel {
    const guild = this.requireGuild(parent.guild_id ?? '');
    const thread = makeThreadChannel({ id, guildId: guild.id, parentId: parent.id, ownerId: owner.id, name });
    // Active threads are part of GUILD_CREATE, so a bot that reconnects knows them.
    guild.payload.threads.push(thread);
    this.channels.set(thread.id, thread);
    this.config.onChannelCreated(thread);
    return thread;
  }

  /**
   * A user opens a post in a forum channel: a thread and its starter message, which shares the
   * thread's id. The thread is announced here; the message reaches the bot through the gateway
   * only (the caller dispatches it), as with any message a user sends.
   */
  addForumPost(forumId: string, author: APIUser, title: string, content: string): { thread: APIThreadChannel; message: APIMessage } {
    const forum = this.requireChannel(forumId);
    if (forum.type !== ChannelType.GuildForum) throw new Error(`Channel ${forumId} is not a forum channel`);
    const thread = this.#addThread(forum, this.newId(), title, author);
    const message = this.addUserMessage(thread, author, content, { id: thread.id });
    return { thread, message };
  }

  /** POST /channels/:id/messages/:id/threads: the thread takes the message's id, and the message shows it. */
  startThreadFromMessage(channelId: string, messageId: string, rawBody: unknown): APIThreadChannel {
    const channel = this.requireChannel(channelId);
    const message = this.channelMessage(channelId, messageId);
    if (channel.type !== ChannelType.GuildText) throw new DiscordApiError(400, 50024, 'Cannot execute action on this channel type');
    this.#requirePermission(PermissionFlagsBits.CreatePublicThreads);
    const { name } = parseThreadBody(rawBody);
    if (message.thread !== undefined || this.channels.has(message.id)) {
      throw new DiscordApiError(400, 160004, 'A thread has already been created for this message');
    }
    const thread = this.#addThread(channel, message.id, name, this.config.bot);
    this.messages.set(message.id, { ...message, thread, position: 0 } as APIMessage);
    return thread;
  }

  #requirePermission(permission: bigint): void {
    if ((this.config.botPermissions & permission) !== permission) throw apiErrors.missingPermissions();
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
  protected store(message: APIMessage, channel: EmulatedChannel): APIMessage {
    this.#place(message, channel);
    this.config.onMessageCreated(message, channel);
    return message;
  }

  #place(message: APIMessage, channel: EmulatedChannel): void {
    this.messages.set(message.id, message);
    channel.last_message_id = message.id;
    if (isThread(channel)) {
      // A forum post's starter message is not counted in its thread's messages.
      const parent = channel.parent_id == null ? undefined : this.channels.get(channel.parent_id);
      if (message.id !== channel.id || parent?.type !== ChannelType.GuildForum) {
        channel.message_count = (channel.message_count ?? 0) + 1;
      }
      channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
    }
  }

  protected attachments(channelId: string, files: UploadedFile[]): APIAttachment[] {
    return files.map((file) => {
      const id = this.newId();
      const url = `${this.config.attachmentBaseUrl}/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
      return { id, filename: file.filename, size: file.data.length, url, proxy_url: url, content_type: file.contentType };
    });
  }

  protected edit(message: APIMessage, body: MessageBody, files: UploadedFile[]): APIMessage {
    const kept = body.attachments
      ? message.attachments.filter((attachment) => body.attachments?.some((keep) => String(keep.id) === attachment.id))
      : message.attachments;
    const edited = applyEdit(message, body, this.users, [...kept, ...this.attachments(message.channel_id, files)]);
    this.messages.set(edited.id, edited);
    return edited;
  }

  /** A message a user sends; the bot learns of it only through the gateway. */
  addUserMessage(channel: EmulatedChannel, author: APIUser, content: string, options: { id?: string; replyTo?: string } = {}): APIMessage {
    if (channel.type === ChannelType.GuildForum) throw new Error('Users post in a forum channel by opening a post (addForumPost)');
    const referenced = options.replyTo === undefined ? undefined : this.channelMessage(channel.id, options.replyTo);
    const message = buildMessage(
      {
        id: options.id ?? this.newId(),
        channelId: channel.id,
        guildId: this.guildOf(channel),
        author,
        type: referenced ? MessageType.Reply : MessageType.Default,
        ...(referenced ? { referenced } : {}),
        attachments: [],
      },
      { content },
      this.users,
    );
    this.#place(message, channel);
    return message;
  }

  createChannelMessage(channelId: string, rawBody: unknown, files: UploadedFile[]): APIMessage {
    const channel = this.requireChannel(channelId);
    // A forum holds posts (threads), not messages: a message goes into one of its posts.
    if (channel.type === ChannelType.GuildForum) throw new DiscordApiError(400, 50008, 'Cannot send messages in a non-text channel');
    if (this.guildOf(channel) !== null) this.#requirePermission(isThread(channel) ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages);
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
        attachments: this.attachments(channelId, files),
      },
      body,
      this.users,
    );
    return this.store(message, channel);
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
    return this.edit(message, parseMessageBody(rawBody, { create: false, hasFiles: files.length > 0 }), files);
  }

  deleteChannelMessage(channelId: string, messageId: string): void {
    this.channelMessage(channelId, messageId);
    this.messages.delete(messageId);
  }
}
