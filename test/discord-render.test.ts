import { describe, expect, it } from 'vitest';
import { decodeButtonId, encodeButtonId } from '../src/discord/custom-ids.js';
import { LIMITS } from '../src/discord/discord-limits.js';
import { escapeForDiscord, maskedLink } from '../src/discord/escape.js';
import { RateLimiter } from '../src/discord/rate-limiter.js';
import { renderAnswer } from '../src/discord/render-answer.js';
import { splitSentences } from '../src/passages/sentences.js';
import type { Answer, SearchResult } from '../src/retrieval/types.js';

/** A result whose passage is exactly the quote, its sentences as the retriever would span them. */
function result(rank: number, quote: string, highlight: string, document = rank): SearchResult {
  const at = quote.indexOf(highlight);
  return {
    rank,
    passageId: rank,
    source: `doc-${document}.md`,
    title: `Document ${document} with a **bold** title`,
    url: 'https://example.com/a_b?x=1',
    location: `paragraph ${rank}, line ${rank}`,
    paragraph: rank,
    lineStart: rank,
    lineEnd: rank,
    score: 0.5,
    quote,
    highlight,
    quoteSpans: { sentences: splitSentences(quote), highlight: { start: at, end: at + highlight.length } },
    passage: quote,
    missing: [],
  };
}

const longSentence = (i: number) => `Sentence ${i} talks at length about https://example.com/path_${i} and *stars* and more words.`;

describe('rendering an answer for Discord', () => {
  it('stays within every message limit, trimming quotes at sentence boundaries', () => {
    // Ten results with long quotes (QUOTE_MAX_CHARS can be raised to 2,000) overflow 6,000 characters.
    const quote = Array.from({ length: 8 }, (_, i) => longSentence(i)).join(' ');
    const highlight = longSentence(5);
    const results = Array.from({ length: 10 }, (_, i) => result(i + 1, quote, highlight));
    const answer: Answer = { question: 'q', answered: true, results, totalMatches: 30, notMentioned: [], unstated: null, indexVersion: 'v1', mode: 'hybrid' };
    const message = renderAnswer('What about **this** <@123>?', answer, { answerId: 7, votes: true });

    expect(message.embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
    const total = message.embeds.reduce((sum, e) => sum + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0), 0);
    expect(total).toBeLessThanOrEqual(LIMITS.embedsTotal);
    for (const embed of message.embeds) {
      expect(embed.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
      // The key sentence survives trimming, in bold; cuts fall between sentences, marked with …
      expect(embed.description).toContain(`**${escapeForDiscord(highlight)}**`);
      expect(embed.description).toMatch(/…/);
      // Bold markers stay balanced: no Markdown construct was cut in half.
      expect((embed.description!.match(/(?<!\\)\*\*/g) ?? []).length % 2).toBe(0);
    }
    expect(message.allowedMentions).toEqual({ parse: [] });
    for (const row of message.components) expect(row.components.length).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
    expect(message.embeds.at(-1)!.footer!.text).toMatch(/^“What about \*\*this\*\* <@123>\?” · the best \w+ of 30 passages that answer · /);
  });

  it('groups results by document under one title, and marks the key sentence only where the quote holds more', () => {
    const [one, two] = ['Cuba joined the effort.', 'Havana denied it. Officials called the claims baseless.'];
    const results = [result(1, one, one, 1), result(2, two, 'Officials called the claims baseless.', 2), result(3, 'Cuba said nothing.', 'Cuba said nothing.', 1)];
    const answer: Answer = { question: 'q', answered: true, results, totalMatches: 3, notMentioned: [], unstated: null, indexVersion: 'v1', mode: 'hybrid' };
    const message = renderAnswer('q', answer, { answerId: 7, votes: true });

    // Document 1's two results under its title, then document 2's: the title once per document.
    expect(message.embeds.map((embed) => embed.title)).toEqual(['Document 1 with a \\*\\*bold\\*\\* title', 'Document 2 with a \\*\\*bold\\*\\* title']);
    const [first, second] = message.embeds.map((embed) => embed.description!);
    expect(first!.match(/— result (\d)/g)).toEqual(['— result 1', '— result 3']);
    // A one-sentence quote is not bolded whole; a longer one bolds the sentence that answers.
    expect(first).not.toContain('**');
    expect(second).toContain('> Havana denied it. **Officials called the claims baseless.**');
    // Each citation links its place in the document to the quoted words, parentheses and all encoded.
    expect(second).toContain(
      '— result 2 · [paragraph 2, line 2](https://example.com/a_b?x=1#:~:text=Officials%20called%20the%20claims%20baseless.) · `doc-2.md`',
    );
    expect(message.embeds[0]!.url).toBe('https://example.com/a_b?x=1#:~:text=Cuba%20joined%20the%20effort.');
    expect(message.embeds.at(-1)!.footer!.text).toMatch(/ · all three passages that answer · /);
    // Every result shown is the whole answer: no "More results".
    expect(message.components.flatMap((row) => row.components.map((button) => button.toJSON()))).not.toContainEqual(
      expect.objectContaining({ label: expect.stringMatching(/^More results/) }),
    );
  });

  it('offers "More results" for the rest of the answers, naming the recorded answer and how many are left', () => {
    const results = [1, 2, 3].map((rank) => result(rank, 'Cuba joined.', 'Cuba joined.'));
    const answer: Answer = { question: 'q', answered: true, results, totalMatches: 8, notMentioned: [], unstated: null, indexVersion: 'v1', mode: 'hybrid' };
    const buttons = renderAnswer('q', answer, { answerId: 42, votes: true }).components.flatMap((row) => row.components.map((button) => button.toJSON()));
    expect(buttons).toContainEqual(expect.objectContaining({ custom_id: 'more:42:3', label: 'More results (five more)' }));
  });

  it('names what a result leaves out of the question, escaped, under its citation', () => {
    const withMissing = { ...result(1, 'Beijing rejected the notion.', 'Beijing rejected the notion.'), missing: ['Cuba', '*Havana*'] };
    const answer: Answer = { question: 'q', answered: true, results: [withMissing, result(2, 'Cuba joined.', 'Cuba joined.')], totalMatches: 2, notMentioned: [], unstated: null, indexVersion: 'v1', mode: 'hybrid' };
    const [first, second] = renderAnswer('q', answer, { answerId: 7, votes: true }).embeds;
    expect(first!.description).toMatch(/— result 1 · \[paragraph 1, line 1\]\([^)]+\) · `doc-1\.md`\n\*Missing: Cuba, \\\*Havana\\\*\*$/);
    expect(second!.description).not.toContain('Missing');
  });

  it('links a document whose URL has parentheses or brackets, encoded so the Markdown link holds', () => {
    expect(maskedLink('paragraph 2, line 4', 'https://en.wikipedia.org/wiki/Mercury_(planet)#:~:text=orbit')).toBe(
      '[paragraph 2, line 4](https://en.wikipedia.org/wiki/Mercury_%28planet%29#:~:text=orbit)',
    );
    expect(maskedLink('paragraph [2]', 'https://example.com/a[1]')).toBe('[paragraph \\[2\\]](https://example.com/a%5B1%5D)');
    expect(maskedLink('paragraph 2', null)).toBe('paragraph 2');
    expect(maskedLink('paragraph 2', 'javascript:alert(1)')).toBe('paragraph 2');
  });

  it('escapes Markdown, mentions and @everyone so nothing formats or pings', () => {
    expect(escapeForDiscord('**bold** _x_ <@123> <#456> @everyone @here [link](https://evil.example) # Heading')).toBe(
      '\\*\\*bold\\*\\* \\_x\\_ \\<@123\\> \\<#456\\> @\u200beveryone @\u200bhere \\[link\\](https://evil.example) \\# Heading',
    );
    expect(escapeForDiscord('# Heading\n> quoted\n- item\n2. second')).toBe('\\# Heading\n\\> quoted\n\\- item\n2\\. second');
    // Links stay whole and clickable.
    expect(escapeForDiscord('see https://example.com/a_b*c for _more_')).toBe('see https://example.com/a_b*c for \\_more\\_');
  });
});

describe('button ids', () => {
  it('round-trip within 100 characters and reject ids the bot did not make', () => {
    const more = { kind: 'more', answerId: Number.MAX_SAFE_INTEGER, offset: 3 } as const;
    expect(encodeButtonId(more).length).toBeLessThanOrEqual(100);
    expect(decodeButtonId(encodeButtonId(more))).toEqual(more);
    expect(decodeButtonId(encodeButtonId({ kind: 'passage', passageId: 42 }))).toEqual({ kind: 'passage', passageId: 42 });
    for (const bad of ['passage:x', 'more:1', 'more:1:2:3', 'more:v:1', 'more:1:-2', 'other:1', '']) expect(decodeButtonId(bad)).toBeNull();
  });
});

describe('rate limiter', () => {
  it('allows N actions per window per user and says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 60_000, () => now);
    expect(limiter.take('a')).toBe(0);
    now = 10_000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('b')).toBe(0);
    now = 20_000;
    expect(limiter.take('a')).toBe(40_000);
    now = 60_000;
    expect(limiter.take('a')).toBe(0);
  });
});
