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
