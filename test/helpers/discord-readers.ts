import { expect } from 'vitest';
import { InteractionResponseType, MessageFlags, type APIEmbed, type APIMessage } from 'discord.js';
import type { DiscordEmulator, RecordedRequest, SentInteraction } from '../discord-emulator/emulator.js';

/* Reading what the bot sent, as the emulator recorded it. */

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

// "— result 2 · [paragraph 9, line 9](https://…) · `file`" under a quote; a whole passage's has no result number.
const CITATION = /— (?:result (\d+) · )?[^`\n]+ · `([^`]+)`/g;

function citations(message: APIMessage): RegExpExecArray[] {
  return message.embeds.flatMap((embed) => [...(embed.description ?? '').matchAll(CITATION)]);
}

/** The file of every citation in the message, in the order shown. */
export function citedSources(message: APIMessage): string[] {
  return citations(message).map((match) => match[2]!);
}

/** The result numbers an answer cites, ascending (documents group them, so they are not shown in order). */
export function citedRanks(message: APIMessage): number[] {
  return citations(message)
    .flatMap((match) => (match[1] === undefined ? [] : [Number(match[1])]))
    .sort((a, b) => a - b);
}
