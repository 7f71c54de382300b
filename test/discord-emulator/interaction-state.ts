import { InteractionResponseType, InteractionType, MessageType } from 'discord-api-types/v10';
import type { APIApplicationCommandOptionChoice, APIInteraction, APIMessage, APIMessageInteractionMetadata, APIUser } from 'discord-api-types/v10';
import { DiscordApiError, FormErrors, apiErrors } from './api-error.js';
import { ChannelState } from './channel-state.js';
import type { UploadedFile } from './http-body.js';
import { buildMessage } from './messages.js';
import { parseAutocompleteChoices, parseMessageBody, requireObject } from './validation.js';
import type { MessageBody } from './validation.js';

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

export interface CallbackOutcome {
  record: InteractionRecord;
  /** The message the callback created or updated, if any. */
  message: APIMessage | null;
}

/** Interactions on top of the channels: callbacks within the ack deadline, and the webhook behind each token. */
export class InteractionState extends ChannelState {
  /** Keyed by token, which is how every webhook route names an interaction. */
  readonly interactions = new Map<string, InteractionRecord>();

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
        attachments: this.attachments(channel.id, files),
        loading,
      },
      body,
      this.users,
    );
    return this.store(message, channel);
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
        message = this.edit(original, parseMessageBody(body.data, { create: false, hasFiles: files.length > 0 }), files);
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
    return this.edit(message, parseMessageBody(rawBody, { create: false, hasFiles: files.length > 0 }), files);
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
}
