import type { AskedFor } from '../retrieval/answer-type.js';
import type { Answer, Unstated } from '../retrieval/types.js';

// More names than this are summed up: a long question can name dozens.
const NAMES_LISTED = 5;

/** "North Korea", "Meta, Facebook or Instagram", "A, B, C, D, E or 3 others": names as a reader would list them. */
export function listOfNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length > NAMES_LISTED) return `${names.slice(0, NAMES_LISTED).join(', ')} or ${names.length - NAMES_LISTED} others`;
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** Why the documents cannot answer a question about names they never mention. */
export function notMentionedSentence(names: readonly string[]): string {
  return `The documents don't mention ${listOfNames(names)}.`;
}

const UNSTATED: Readonly<Record<Exclude<AskedFor, 'name' | 'words'>, string>> = {
  count: "The documents speak of this but don't give that number.",
  day: "The documents speak of this but don't give that day.",
};

/** Why the documents cannot answer though they speak of what the question asks about. */
export function unstatedSentence(unstated: Unstated): string {
  switch (unstated.asks) {
    case 'name':
      return `The documents mention the ${unstated.role} but don't name them.`;
    case 'words':
      return `The documents mention ${unstated.role} but don't report what they said.`;
    default:
      return UNSTATED[unstated.asks];
  }
}

/** The reason a declined answer gives the reader, when there is one beyond "nothing answers confidently". */
export function declineReason({ notMentioned, unstated }: Pick<Answer, 'notMentioned' | 'unstated'>): string | null {
  if (notMentioned.length > 0) return notMentionedSentence(notMentioned);
  return unstated === null ? null : unstatedSentence(unstated);
}

/** What a result leaves out of the question, as search engines show it. */
export function missingLine(missing: readonly string[]): string {
  return `Missing: ${missing.join(', ')}`;
}
