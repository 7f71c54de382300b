import type { Span } from './sentences.js';

/**
 * A sentence longer than this many characters per token of the model's limit is cut before it
 * is tokenized at all: a run of text with no sentence end (a megabyte on one line) would
 * otherwise go whole into the tokenizer, which needs seconds, gigabytes, or more stack than
 * there is. No real sentence within the token limit comes near it.
 */
const MAX_CHARS_PER_TOKEN = 8;

const isSpace = (char: string | undefined) => char !== undefined && /\s/.test(char);
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Cuts `span` at whitespace into parts of at most `maxChars` (inside a longer word, at `maxChars`). */
export function cutAtWords(text: string, span: Span, maxChars: number): Span[] {
  const parts: Span[] = [];
  let start = span.start;
  while (span.end - start > maxChars) {
    const limit = start + maxChars;
    let cut = limit;
    while (cut > start && !isSpace(text[cut])) cut -= 1;
    // No space to cut at: cut inside the word, never between the halves of a surrogate pair
    // (and always past `start`, even when the pair alone is longer than `maxChars`).
    if (cut === start) cut = !isLowSurrogate(text.charCodeAt(limit)) ? limit : limit - 1 > start ? limit - 1 : limit + 1;
    let end = cut;
    while (end > start && isSpace(text[end - 1])) end -= 1;
    if (end > start) parts.push({ start, end });
    start = cut;
    while (start < span.end && isSpace(text[start])) start += 1;
  }
  if (start < span.end) parts.push({ start, end: span.end });
  return parts;
}

export interface CountedSpan extends Span {
  tokens: number;
}

/**
 * The sentences of a paragraph with their token counts, a sentence longer than `maxTokens` cut
 * at word boundaries into parts that fit, so no passage is embedded only in part.
 */
export function sentencesWithinLimit(
  text: string,
  sentences: Span[],
  maxTokens: number,
  countTokens: (text: string) => number,
): CountedSpan[] {
  const counted: CountedSpan[] = [];
  const fit = (span: Span) => {
    const tokens = countTokens(text.slice(span.start, span.end));
    const length = span.end - span.start;
    const halves = tokens <= maxTokens ? [] : cutAtWords(text, span, Math.ceil(length / 2));
    // Within the limit, or as small as text can be cut (one character, one surrogate pair).
    if (halves.length < 2) {
      counted.push({ ...span, tokens });
      return;
    }
    for (const half of halves) fit(half);
  };
  for (const sentence of sentences) {
    for (const part of cutAtWords(text, sentence, maxTokens * MAX_CHARS_PER_TOKEN)) fit(part);
  }
  return counted;
}
