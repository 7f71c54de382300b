import { percentEncode } from '../render/text-fragment.js';

/**
 * Makes text from the corpus or from a user display literally: no Markdown (bold, links,
 * headings, lists, quotes, code), no mention or emoji syntax. Pings are prevented separately
 * by `allowedMentions`; this keeps `<@123>` or `@everyone` from even looking like one.
 *
 * Written here rather than with discord.js's `escapeMarkdown`, which costs about a millisecond
 * per quote and grows faster than linearly with length — too slow for every answer.
 */
const URL_PATTERN = /https?:\/\/[^\s<>"]+/g;
const INLINE_SPECIAL = /[\\*_~`|[\]<>]/g;
const LINE_MARKER = /^(\s*)(#{1,3}|-#?|\+)(?=\s)/gm;
const NUMBERED_ITEM = /^(\s*\d+)\.(?=\s)/gm;

function escapeProse(text: string): string {
  return text
    .replace(INLINE_SPECIAL, '\\$&')
    .replace(LINE_MARKER, '$1\\$2')
    .replace(NUMBERED_ITEM, '$1\\.')
    .replace(/@(?=everyone|here)/g, '@\u200b');
}

export function escapeForDiscord(text: string): string {
  // Links are left whole: Discord reads a URL before any formatting, and an escape inside one would break it.
  let escaped = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    escaped += escapeProse(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return escaped + escapeProse(text.slice(last));
}

/** For inline code spans: a backtick cannot be escaped inside one, so it is replaced. */
export function inlineCode(text: string): string {
  return `\`${text.replace(/`/g, 'ˋ')}\``;
}

/** A document URL Discord can link (an embed's url, a Markdown link): http(s), one token, within its 2,048 characters. */
export function isLinkable(url: string | null): url is string {
  return url !== null && /^https?:\/\/\S+$/.test(url) && url.length <= 2048;
}

/**
 * `text` as a Markdown link to `url` (embed descriptions render them), or plain text without one.
 * Brackets and parentheses in the URL (Wikipedia's titles have them) would end the link early, so
 * they are percent-encoded, which addresses the same page.
 */
export function maskedLink(text: string, url: string | null): string {
  if (!isLinkable(url)) return escapeForDiscord(text);
  const target = percentEncode(url, /[()[\]]/g);
  return isLinkable(target) ? `[${escapeForDiscord(text)}](${target})` : escapeForDiscord(text);
}
