import { AllowedMentionsTypes, EmbedType, MessageFlags } from 'discord-api-types/v10';
import type {
  APIAllowedMentions,
  APIAttachment,
  APIEmbed,
  APIMessage,
  APIMessageInteractionMetadata,
  APIUser,
  MessageType,
} from 'discord-api-types/v10';
import type { MessageBody } from './validation.js';

/** Where a new message comes from; everything the body itself cannot say. */
export interface MessageOrigin {
  id: string;
  channelId: string;
  guildId: string | null;
  author: APIUser;
  type: MessageType;
  /** Interaction responses and follow-ups are sent through the application's webhook. */
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: APIMessageInteractionMetadata;
  referenced?: APIMessage;
  attachments: APIAttachment[];
  /** A deferred reply shows "thinking…" until the first edit. */
  loading?: boolean;
}

const EDITABLE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2;
const CREATABLE_FLAGS = EDITABLE_FLAGS | MessageFlags.Ephemeral | MessageFlags.SuppressNotifications;

interface Mentions {
  mentions: APIUser[];
  mention_roles: string[];
  mention_everyone: boolean;
}

/**
 * Applies allowed_mentions the way Discord does, so tests can assert that a reply
 * quoting `<@id>` or `@everyone` from a document pings nobody. Without
 * allowed_mentions Discord parses every mention type.
 */
function resolveMentions(
  content: string,
  allowed: APIAllowedMentions | undefined,
  users: ReadonlyMap<string, APIUser>,
  repliedTo: APIUser | undefined,
): Mentions {
  const parse = allowed ? (allowed.parse ?? []) : Object.values(AllowedMentionsTypes);
  const userIds = [...content.matchAll(/<@!?(\d{15,25})>/g)].map((match) => match[1] ?? '');
  const roleIds = [...content.matchAll(/<@&(\d{15,25})>/g)].map((match) => match[1] ?? '');
  const userAllowed = (id: string) => parse.includes(AllowedMentionsTypes.User) || (allowed?.users ?? []).includes(id);
  const roleAllowed = (id: string) => parse.includes(AllowedMentionsTypes.Role) || (allowed?.roles ?? []).includes(id);

  const mentioned = new Map<string, APIUser>();
  for (const id of userIds) {
    const user = users.get(id);
    if (user && userAllowed(id)) mentioned.set(id, user);
  }
  if (repliedTo && (allowed?.replied_user ?? true)) mentioned.set(repliedTo.id, repliedTo);
  return {
    mentions: [...mentioned.values()],
    mention_roles: [...new Set(roleIds.filter(roleAllowed))],
    mention_everyone: /@(everyone|here)\b/.test(content) && parse.includes(AllowedMentionsTypes.Everyone),
  };
}

// Discord labels every embed a bot sends as "rich".
const asRichEmbed = (embed: APIEmbed): APIEmbed => ({ type: EmbedType.Rich, ...embed });

export function buildMessage(origin: MessageOrigin, body: MessageBody, users: ReadonlyMap<string, APIUser>): APIMessage {
  const content = body.content ?? '';
  let flags = (body.flags ?? 0) & CREATABLE_FLAGS;
  if (origin.loading) flags |= MessageFlags.Loading;
  const message: APIMessage = {
    id: origin.id,
    channel_id: origin.channelId,
    author: origin.author,
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: body.tts ?? false,
    ...resolveMentions(content, body.allowed_mentions, users, origin.referenced?.author),
    attachments: origin.attachments,
    embeds: (body.embeds ?? []).map(asRichEmbed),
    components: body.components ?? [],
    pinned: false,
    type: origin.type,
    flags,
  };
  if (origin.webhookId !== undefined) message.webhook_id = origin.webhookId;
  if (origin.applicationId !== undefined) message.application_id = origin.applicationId;
  if (origin.interactionMetadata) message.interaction_metadata = origin.interactionMetadata;
  if (origin.referenced) {
    message.message_reference = { type: 0, message_id: origin.referenced.id, channel_id: origin.channelId };
    if (origin.guildId !== null) message.message_reference.guild_id = origin.guildId;
    message.referenced_message = origin.referenced;
  }
  return message;
}

/**
 * Discord's PATCH semantics: fields present in the body replace the old ones,
 * absent fields stay. The first edit of a deferred reply only clears "thinking…".
 */
export function applyEdit(
  message: APIMessage,
  body: MessageBody,
  users: ReadonlyMap<string, APIUser>,
  attachments: APIAttachment[],
): APIMessage {
  const wasLoading = ((message.flags ?? 0) & MessageFlags.Loading) !== 0;
  const content = body.content ?? message.content;
  const keptFlags = (message.flags ?? 0) & ~MessageFlags.Loading & ~EDITABLE_FLAGS;
  const editable = (body.flags ?? message.flags ?? 0) & EDITABLE_FLAGS;
  const edited: APIMessage = {
    ...message,
    content,
    embeds: body.embeds ? body.embeds.map(asRichEmbed) : message.embeds,
    components: body.components ?? message.components ?? [],
    attachments,
    flags: keptFlags | editable,
    edited_timestamp: wasLoading ? null : new Date().toISOString(),
  };
  if (body.content !== undefined || body.allowed_mentions !== undefined) {
    Object.assign(edited, resolveMentions(content, body.allowed_mentions, users, message.referenced_message?.author));
  }
  return edited;
}

/** Finds every custom_id in a message, however deeply its layout nests them. */
export function customIdsOf(message: APIMessage): string[] {
  const ids: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'custom_id' && typeof value === 'string') ids.push(value);
      else visit(value);
    }
  };
  visit(message.components ?? []);
  return ids;
}
