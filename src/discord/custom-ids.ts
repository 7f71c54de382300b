/**
 * Button ids carry what a click needs (Discord allows 100 characters), or the id of the answer
 * recorded in the bot's database, so buttons keep working after a restart and never depend on
 * what the message shows: nothing is looked up in process memory or read back from the text.
 */
const MAX_CUSTOM_ID = 100;

export interface MoreResultsId {
  kind: 'more';
  /** The answer in the bot's `AnswerLog`: its question, filter, page size and index version. */
  answerId: number;
  /** Where the next page starts in the answer's ranking. */
  offset: number;
}

export interface PassageId {
  kind: 'passage';
  passageId: number;
}

export interface SourcesPageId {
  kind: 'sources';
  page: number;
}

/** 👍 or 👎 on a recorded answer. */
export interface VoteId {
  kind: 'vote';
  answerId: number;
  vote: 'up' | 'down';
}

export type ButtonId = MoreResultsId | PassageId | SourcesPageId | VoteId;

export function encodeButtonId(id: ButtonId): string {
  const encoded = (() => {
    switch (id.kind) {
      case 'more':
        return `more:${id.answerId}:${id.offset}`;
      case 'passage':
        return `passage:${id.passageId}`;
      case 'sources':
        return `sources:${id.page}`;
      case 'vote':
        return `vote:${id.answerId}:${id.vote}`;
    }
  })();
  if (encoded.length > MAX_CUSTOM_ID) throw new Error(`custom id longer than ${MAX_CUSTOM_ID} characters: ${encoded}`);
  return encoded;
}

const WHOLE = /^\d{1,9}$/;
// Answer ids grow with every answer recorded, as far as a number holds them exactly.
const isAnswerId = (text: string) => /^\d{1,16}$/.test(text) && Number.isSafeInteger(Number(text));

/** The button a custom id names, or null for ids this bot did not make. */
export function decodeButtonId(customId: string): ButtonId | null {
  const [kind, ...parts] = customId.split(':');
  if (kind === 'passage' && parts.length === 1 && WHOLE.test(parts[0]!)) return { kind, passageId: Number(parts[0]) };
  if (kind === 'sources' && parts.length === 1 && WHOLE.test(parts[0]!)) return { kind, page: Number(parts[0]) };
  if (kind === 'more' && parts.length === 2 && isAnswerId(parts[0]!) && WHOLE.test(parts[1]!)) {
    return { kind, answerId: Number(parts[0]), offset: Number(parts[1]) };
  }
  if (kind === 'vote' && parts.length === 2 && isAnswerId(parts[0]!) && (parts[1] === 'up' || parts[1] === 'down')) {
    return { kind, answerId: Number(parts[0]), vote: parts[1] };
  }
  return null;
}
