import { escapeMarkdown } from 'discord.js';

/**
 * Makes text from the corpus or from a user display literally: no Markdown (bold, links,
 * headings, lists, quotes), no mention or emoji syntax. Pings are prevented separately by
 * `allowedMentions`; this keeps `<@123>` or `@everyone` from even looking like one.
 */
export function escapeForDiscord(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true })
    .replace(/^(\s*)>/gm, '$1\\>')
    .replace(/<(?=[@#:/]|t:|a:)/g, '\\<')
    .replace(/@(?=everyone|here)/g, '@\u200b');
}

/** For inline code spans: a backtick cannot be escaped inside one, so it is replaced. */
export function inlineCode(text: string): string {
  return `\`${text.replace(/`/g, 'ˋ')}\``;
}
