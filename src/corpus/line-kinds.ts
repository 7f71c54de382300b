/**
 * Classifies the lines of a document so that only content becomes passages.
 *
 * The rule is general, not a list of known strings: content is prose, i.e. a line holding at
 * least one complete sentence. Lines without a sentence (headlines, "Recent Comments",
 * navigation), bare links and lone source tags ("{Matzav.com}"), all-capitals shouting and
 * calls to action addressed to the reader ("Follow our coverage on @channel.") are not.
 */

export type LineKind = 'blank' | 'url' | 'heading' | 'boilerplate' | 'text';

const BARE_URL = /^<?(?:(?:source|url|link|via)\s*:\s*)?(https?:\/\/\S+|www\.\S+\.\S+)>?$/i;
const MARKDOWN_HEADING = /^#{1,6}\s+\S/;
const LONE_TAG = /^[{[(<]\s*[^\s{}[\]()<>]{1,80}\s*[}\])>]$/;
// A sentence ends in terminal punctuation, perhaps followed by closing quotes or brackets.
const SENTENCE_END = /[.!?…]["'”’)\]]*(?:\s|$)/u;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const CALL_TO_ACTION_VERB =
  /^(?:please\s+)?(?:you\s+can\s+(?:also\s+)?)?(?:follow|join|subscribe|sign\s+up|share|click|tap|press|download|like|read\s+more|watch|listen|support|donate|register|log\s+in|contact|visit|check\s+out)\b/i;
// What makes an imperative a call to action: it points at the site, its channels or its buttons.
const CALL_TO_ACTION_TARGET =
  /(?:\bus\b|\bour\b|@\w|https?:|www\.|\bhere\b|\bbelow\b|newsletter|telegram|twitter|facebook|instagram|youtube|whatsapp|ctrl\b|\bbutton\b|\blink\b)/i;
const CALL_TO_ACTION_MAX_WORDS = 25;
const MIN_SENTENCE_WORDS = 3;

export function wordCount(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

function isShouting(line: string): boolean {
  const letters = line.match(/\p{L}/gu) ?? [];
  if (letters.length < 8 || wordCount(line) < 2) return false;
  const upper = letters.filter((letter) => letter !== letter.toLowerCase()).length;
  return upper / letters.length >= 0.9;
}

function isCallToAction(line: string): boolean {
  return (
    wordCount(line) <= CALL_TO_ACTION_MAX_WORDS &&
    CALL_TO_ACTION_VERB.test(line) &&
    CALL_TO_ACTION_TARGET.test(line)
  );
}

export function classifyLine(line: string): LineKind {
  const trimmed = line.trim();
  if (trimmed === '') return 'blank';
  if (BARE_URL.test(trimmed)) return 'url';
  if (MARKDOWN_HEADING.test(trimmed)) return 'heading';
  if (LONE_TAG.test(trimmed) || isShouting(trimmed) || isCallToAction(trimmed)) return 'boilerplate';
  if (!SENTENCE_END.test(trimmed) || wordCount(trimmed) < MIN_SENTENCE_WORDS) return 'heading';
  return 'text';
}

/** The URL a `url` line states. */
export function urlOf(line: string): string {
  const match = BARE_URL.exec(line.trim());
  const url = match?.[1] ?? line.trim();
  return url.startsWith('www.') ? `https://${url}` : url;
}
