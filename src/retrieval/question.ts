import { InvalidQuestionError } from '../errors.js';

// C0 and C1 controls other than tab, line feed and carriage return (whitespace, folded below).
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** The question as it will be searched: whitespace folded, or an error saying what to change. */
export function normalizeQuestion(question: string, maxChars: number): string {
  if (CONTROL_CHARACTER.test(question)) {
    throw new InvalidQuestionError('The question contains control characters; type it as plain text.');
  }
  const normalized = question.replace(/\s+/gu, ' ').trim();
  if (normalized === '') {
    throw new InvalidQuestionError('The question is empty: ask something about the documents.');
  }
  if (normalized.length > maxChars) {
    throw new InvalidQuestionError(
      `The question is ${normalized.length} characters long; the limit is ${maxChars}. Ask about one thing at a time.`,
    );
  }
  if (!WORD_CHARACTER.test(normalized)) {
    throw new InvalidQuestionError('The question has no words to search for.');
  }
  return normalized;
}

/**
 * Text someone else wrote (a message a user asks sources for), made searchable: whitespace
 * folded and, past `maxChars`, cut after the last sentence that fits (else the last word), so
 * that a long message is searched by its opening rather than refused. Control characters,
 * which a question may not hold, become spaces.
 */
export function searchableText(text: string, maxChars: number): string {
  const folded = text.replace(new RegExp(CONTROL_CHARACTER.source, 'gu'), ' ').replace(/\s+/gu, ' ').trim();
  if (folded.length <= maxChars) return folded;
  const head = folded.slice(0, maxChars + 1);
  const sentenceEnd = Math.max(...['. ', '! ', '? '].map((end) => head.lastIndexOf(end)));
  if (sentenceEnd > maxChars / 3) return head.slice(0, sentenceEnd + 1);
  const wordEnd = head.lastIndexOf(' ');
  return (wordEnd > 0 ? head.slice(0, wordEnd) : head.slice(0, maxChars)).trimEnd();
}
