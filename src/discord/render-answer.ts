import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type APIEmbed,
  type MessageActionRowComponentBuilder,
} from 'discord.js';
import { answerCountPhrase, countInWords } from '../render/answer-count.js';
import { byDocument } from '../retrieval/by-document.js';
import { highlightStandsOut, quoteText, withoutOuterSentence } from '../retrieval/quote.js';
import { linkToWords } from '../render/text-fragment.js';
import { declineReason, missingLine } from '../render/decline.js';
import type { Answer, SearchResult } from '../retrieval/types.js';
import { encodeButtonId } from './custom-ids.js';
import { LIMITS, truncate } from './discord-limits.js';
import { escapeForDiscord, inlineCode, isLinkable, maskedLink } from './escape.js';

export interface RenderedMessage {
  content?: string;
  embeds: APIEmbed[];
  components: Array<ActionRowBuilder<MessageActionRowComponentBuilder>>;
  allowedMentions: { parse: [] };
}

export const NO_MENTIONS = { parse: [] as [] };
/** A reply to someone's message that does not ping them either. */
export const REPLY_PINGS_NOBODY = { parse: [] as [], repliedUser: false };
const EMBED_COLOR = 0x4f7cac;
const FOOTER_SUFFIX = 'quoted extracts, not generated text';

/** The quote as a block quote, its most relevant sentence in bold where there is more around it, everything escaped. */
function quoteMarkdown(result: SearchResult): string {
  const { quote, highlight } = result;
  const at = highlightStandsOut(result.quoteSpans) ? quote.indexOf(highlight) : -1;
  const marked =
    at < 0
      ? escapeForDiscord(quote)
      : `${escapeForDiscord(quote.slice(0, at))}**${escapeForDiscord(highlight)}**${escapeForDiscord(quote.slice(at + highlight.length))}`;
  return marked
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/**
 * The result with its quote one sentence shorter (the last one that is not the highlight, else
 * the first), or null when nothing more can be dropped. Cutting raw text at a sentence boundary
 * before escaping means no Markdown construct or URL is ever cut in half.
 */
function shortenQuote(result: SearchResult): SearchResult | null {
  const spans = withoutOuterSentence(result.quoteSpans);
  return spans ? { ...result, quote: quoteText(result.passage, spans), quoteSpans: spans } : null;
}

/** The document's URL scrolled to the quoted words, if that still fits Discord's URL length; null without a URL. */
function linkToQuote(result: SearchResult): string | null {
  if (!isLinkable(result.url)) return null;
  const linked = linkToWords(result.url, result.highlight);
  return isLinkable(linked) ? linked : result.url;
}

/**
 * Where the quote is, first as a reader looks for it (the result's number, for its "Full passage"
 * button, and its place in the document, linked to the quoted words), then the file, for whoever
 * maintains the corpus; then what the result leaves out of the question.
 */
function citation(result: SearchResult): string {
  const missing = result.missing.length > 0 ? `\n*${escapeForDiscord(missingLine(result.missing))}*` : '';
  return `— result ${result.rank} · ${maskedLink(result.location, linkToQuote(result))} · ${inlineCode(result.source)}${missing}`;
}

/** One embed per document: its title once (linked to the first quote's words), then each quote with its citation. */
function documentEmbed(results: readonly SearchResult[]): APIEmbed {
  const first = results[0]!;
  const link = linkToQuote(first);
  return {
    color: EMBED_COLOR,
    title: truncate(escapeForDiscord(first.title), LIMITS.embedTitle),
    description: results.map((result) => `${quoteMarkdown(result)}\n${citation(result)}`).join('\n\n'),
    ...(link !== null ? { url: link } : {}),
  };
}

export function footerText(question: string, answer: Answer): string {
  const first = answer.results[0]?.rank ?? 0;
  const count = answerCountPhrase(first, answer.results.length, answer.totalMatches);
  return truncate(`“${question}” · ${count} · ${FOOTER_SUFFIX}`, LIMITS.embedFooter);
}

function embedsLength(embeds: APIEmbed[]): number {
  return embeds.reduce(
    (sum, embed) => sum + (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0),
    0,
  );
}

/** What the buttons under an answer name: the recorded answer, and whether to offer votes. */
export interface AnswerButtons {
  answerId: number;
  votes: boolean;
}

/** The buttons under an answer; without a recorded answer (`named` null) only "Full passage". */
function buttons(answer: Answer, named: AnswerButtons | null): Array<ActionRowBuilder<MessageActionRowComponentBuilder>> {
  const passageButtons = answer.results.slice(0, LIMITS.buttonsPerRow).map((result) =>
    new ButtonBuilder()
      .setCustomId(encodeButtonId({ kind: 'passage', passageId: result.passageId }))
      .setLabel(`Full passage ${result.rank}`)
      .setStyle(ButtonStyle.Secondary),
  );
  const rows = [new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(passageButtons)];
  if (named === null) return rows;
  const { answerId, votes } = named;
  const next = answer.results.at(-1)?.rank ?? 0;
  const more =
    next < answer.totalMatches
      ? [
          new ButtonBuilder()
            .setCustomId(encodeButtonId({ kind: 'more', answerId, offset: next }))
            .setLabel(`More results (${countInWords(answer.totalMatches - next)} more)`)
            .setStyle(ButtonStyle.Primary),
        ]
      : [];
  const voting = votes
    ? (['up', 'down'] as const).map((vote) =>
        new ButtonBuilder()
          .setCustomId(encodeButtonId({ kind: 'vote', answerId, vote }))
          .setEmoji(vote === 'up' ? '👍' : '👎')
          .setStyle(ButtonStyle.Secondary),
      )
    : [];
  if (more.length + voting.length > 0) rows.push(new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(...more, ...voting));
  return rows;
}

function fits(embeds: APIEmbed[]): boolean {
  return embedsLength(embeds) <= LIMITS.embedsTotal && embeds.every((embed) => (embed.description?.length ?? 0) <= LIMITS.embedDescription);
}

/**
 * An answer as a Discord message: one embed per document (its title, then each of its quotes with
 * the key sentence in bold and a citation linked to the quoted words), the question and counts in
 * the footer, and buttons naming the recorded answer (More results, 👍/👎). Quotes are
 * shortened a sentence at a time (never the key sentence) until the message fits Discord's
 * limits, and results dropped from the end only if that is not enough; nothing pings.
 */
export function renderAnswer(question: string, answer: Answer, named: AnswerButtons | null): RenderedMessage {
  let results = answer.results.slice(0, LIMITS.embedsPerMessage);
  const build = () => {
    const embeds = byDocument(results).map(documentEmbed);
    const last = embeds.at(-1);
    if (last) last.footer = { text: footerText(question, { ...answer, results }) };
    return embeds;
  };
  let embeds = build();
  while (!fits(embeds) && results.length > 0) {
    const byLength = [...results.keys()].sort((a, b) => results[b]!.quote.length - results[a]!.quote.length);
    const shortened = byLength.map((i) => [i, shortenQuote(results[i]!)] as const).find(([, quote]) => quote !== null);
    results = shortened
      ? results.map((result, i) => (i === shortened[0] ? shortened[1]! : result))
      : results.slice(0, -1);
    embeds = build();
  }
  return { embeds, components: buttons({ ...answer, results }, named), allowedMentions: NO_MENTIONS };
}

export function renderNoAnswer(answer: Pick<Answer, 'question' | 'notMentioned' | 'unstated'>): RenderedMessage {
  const question = escapeForDiscord(answer.question);
  const reason = declineReason(answer);
  const content =
    reason !== null
      ? `${escapeForDiscord(reason)} Nothing in them answers “${question}”. ` +
        (answer.notMentioned.length > 0 ? 'Check the spelling, or use `/sources` to see what they cover.' : 'Use `/sources` to see what they cover.')
      : `I couldn't find a confident answer to “${question}” in the documents. ` +
        'Try rephrasing with names, places or dates from them, or use `/sources` to see what they cover.';
  return {
    content: truncate(content, LIMITS.content),
    embeds: [],
    components: [],
    allowedMentions: NO_MENTIONS,
  };
}

/** Discord's longest thread name. */
const THREAD_NAME_CHARS = 100;

/** A thread named after the question it answers, as a forum post is named by its title. */
export function threadName(question: string): string {
  return truncate(question, THREAD_NAME_CHARS);
}

/** What `/ask thread:true` leaves in the channel: the question, with the answer in the thread started on it. */
export function renderThreadStarter(question: string): RenderedMessage {
  return {
    content: truncate(`> ${escapeForDiscord(question.replace(/\s+/gu, ' '))}`, LIMITS.content - 40) + '\n-# The answer is in the thread.',
    embeds: [],
    components: [],
    allowedMentions: NO_MENTIONS,
  };
}

export function renderPassage(view: { title: string; url: string | null; source: string; location: string; passage: string }): RenderedMessage {
  const embed: APIEmbed = {
    color: EMBED_COLOR,
    title: truncate(escapeForDiscord(view.title), LIMITS.embedTitle),
    description: passageDescription(view),
    footer: { text: `The whole passage, ${FOOTER_SUFFIX}` },
    ...(isLinkable(view.url) ? { url: view.url } : {}),
  };
  return { embeds: [embed], components: [], allowedMentions: NO_MENTIONS };
}

/**
 * The passage as a block quote, then its citation. One sentence is never split into passages,
 * so a passage can exceed an embed's 4,096 characters (more so once escaped): the quote is cut,
 * marked with …, and the citation always kept.
 */
function passageDescription(view: { source: string; location: string; passage: string }): string {
  const cite = `— ${view.location} · ${inlineCode(view.source)}`;
  const quoted = escapeForDiscord(view.passage).split('\n').map((line) => `> ${line}`).join('\n');
  return `${truncate(quoted, LIMITS.embedDescription - cite.length - 1)}\n${cite}`;
}
