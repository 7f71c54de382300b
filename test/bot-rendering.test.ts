import type { APIEmbed, APIMessage } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusEngine } from '../src/engine/corpus-engine.js';
import type { DiscordEmulator } from './discord-emulator/emulator.js';
import {
  buttonRows,
  citedRanks,
  citedSources,
  embedTotal,
  expectOrderlyTraffic,
  findButton,
  isEphemeral,
  LogCollector,
  messageBodies,
  openEngine,
  registerCommands,
  responseToClick,
  startBot,
  startEmulator,
  stopBotSuite,
  type RunningBot,
} from './helpers/bot-harness.js';
import { DelegatingEmbedder } from './helpers/delegating-embedder.js';
import { createWorkspace, testEmbedder, type Workspace } from './helpers/workspace.js';

/**
 * The test model with the token limit of a long-context model (bge-m3 and nomic-embed read
 * 8,192): passages, and so quotes, then reach the 2,000 characters a five-result answer must
 * trim. With the bundled model's 126 tokens no passage is long enough to need it.
 */
class LongContextEmbedder extends DelegatingEmbedder {
  override get maxTokens(): number {
    return 1024;
  }
}

const HARBOUR_SOURCE = 'harbour-notice.txt';
const HARBOUR_QUESTION = 'What ferry tolls did the Port Elsinore harbour committee announce?';
const GLACIER_SOURCE = 'glacier-survey.txt';
const GLACIER_QUESTION = 'What did the glacier monitoring teams measure during each survey season?';

/**
 * A notice full of things that must not format or ping when quoted: mass mentions, a user
 * mention (of a real emulated user, so a missing allowed_mentions would record a ping), a
 * channel mention, bold, italics, a heading, a block quote and a masked link.
 */
function harbourNotice(userId: string): string {
  return [
    'Port Elsinore **harbour** notice for @everyone',
    '',
    `The harbour committee of Port Elsinore announced **new ferry tolls** for @everyone using the north quay from 1 March, and the tolls apply to every ferry crossing. Complaints about the ferry tolls go to <@123> or to <@${userId}>, the harbourmaster on duty, and questions go to @here in <#456>.`,
    '',
    '# The committee said the ferry _tolls_ will pay for a new pier.',
    '> Quoted from the minutes: [pay the ferry tolls here](https://evil.example/phish) before boarding.',
    '',
  ].join('\n');
}

/**
 * Single sentences of ~2,000 characters (each is then a whole passage, whatever the model's token
 * limit) dense with `*` and `_`, which escaping lengthens: five of them cannot fit in one message.
 */
function glacierSurvey(): string {
  const paragraphs = Array.from({ length: 8 }, (_, i) => {
    const clauses = Array.from(
      { length: 40 },
      (_, j) =>
        `the glacier monitoring team measured *ice${i}k${j}* thickness of ${100 + i * 40 + j} metres at site_${i}q${j}_north near ridge${i}x${j}`,
    );
    return `In survey season ${2001 + i}, ${clauses.join(', and ')}.`;
  });
  return ['Glacier survey seasons', '', ...paragraphs.flatMap((paragraph) => [paragraph, ''])].join('\n');
}

let emulator: DiscordEmulator;
let workspace: Workspace;
let engine: CorpusEngine;
let running: RunningBot;
const logs = new LogCollector();

beforeAll(async () => {
  emulator = await startEmulator();
  workspace = await createWorkspace();
  await workspace.write(HARBOUR_SOURCE, harbourNotice(emulator.defaultUser.id));
  await workspace.write(GLACIER_SOURCE, glacierSurvey());
  // Long quotes (the setting's maximum) so a five-result answer overflows unless the bot trims it.
  engine = await openEngine(workspace, {
    env: { QUOTE_MAX_CHARS: '2000', PASSAGE_MAX_TOKENS: '1024' },
    embedder: new LongContextEmbedder(await testEmbedder()),
  });
  await registerCommands(emulator);
  running = await startBot(emulator, engine, logs);
});

afterEach(() => {
  // The emulator answers any over-limit message with 400, so this is the limits check of record.
  expect(messageBodies(emulator).length).toBeGreaterThan(0);
  expectOrderlyTraffic(emulator);
});

afterAll(() => stopBotSuite({ running, emulator, workspace }));

function expectNoPing(message: APIMessage): void {
  expect(message.mentions).toEqual([]);
  expect(message.mention_roles).toEqual([]);
  expect(message.mention_everyone).toBe(false);
}

/** Every `<@`, `<#`, `@everyone`, `@here` and `**` in the text is escaped, so none of it formats. */
function expectInert(text: string): void {
  expect(text).not.toMatch(/(?<!\\)<[@#]/);
  expect(text).not.toMatch(/@(everyone|here)/);
  expect(text).not.toMatch(/(?<!\\)\[[^\]]*\]\(/); // no masked link
}

describe('mentions and Markdown from documents and questions', () => {
  it('quotes a document with @everyone, <@id> and Markdown without pinging or formatting', async () => {
    const sent = emulator.sendSlashCommand({ name: 'ask', options: { question: HARBOUR_QUESTION } });
    const reply = await sent.waitForResponse();
    expectNoPing(reply);
    const embed = reply.embeds.find((candidate) => candidate.description?.includes(`\`${HARBOUR_SOURCE}\``));
    expect(embed, `an extract from ${HARBOUR_SOURCE}; cited ${citedSources(reply).join(', ')}`).toBeDefined();
    const description = embed!.description!;
    expect(description).toContain('\\*\\*new ferry tolls\\*\\*');
    expect(description).toContain('@\u200beveryone');
    // `\<@123>` is enough to keep a mention literal; escaping the `>` as well is fine too.
    expect(description).toMatch(/\\<@123\\?>/);
    expect(description).toMatch(new RegExp(`\\\\<@${emulator.defaultUser.id}\\\\?>`));
    expectInert(description);
    expect(embed!.title).toContain('Port Elsinore \\*\\*harbour\\*\\* notice for @\u200beveryone');

    // The whole passage, shown on request, is escaped the same way.
    const passageButton = findButton(reply, 'passage:');
    const click = emulator.clickButton({ message: reply, customId: passageButton });
    const passage = await responseToClick(click, reply.id);
    expectNoPing(passage);
    for (const shown of passage.embeds) expectInert(`${shown.title}\n${shown.description}`);
  });

  it('escapes a question with <@123> and Markdown wherever it is rendered as Markdown', async () => {
    const user = emulator.defaultUser;
    const question = `**bold** _x_ <@123> <@${user.id}> how do I bake banana bread?`;
    const sent = emulator.sendSlashCommand({ name: 'ask', options: { question } });
    const notFound = await sent.waitForResponse();
    expectNoPing(notFound);
    expect(notFound.content).toContain('“\\*\\*bold\\*\\* \\_x\\_ \\<@123');
    expect(notFound.content).toMatch(/\\<@123\\?> \\<@\d+\\?> how do I bake banana bread\?”/);
    expectInert(notFound.content);

    // An answered question appears only in the embed footer, which Discord shows as plain text:
    // verbatim there, and it still pings nobody.
    const answeredQuestion = `What **ferry tolls** did <@${user.id}> and the Port Elsinore harbour committee announce?`;
    const answered = await emulator.sendSlashCommand({ name: 'ask', options: { question: answeredQuestion } }).waitForResponse();
    expectNoPing(answered);
    expect(answered.embeds.at(-1)?.footer?.text).toContain(`“${answeredQuestion}”`);
    for (const embed of answered.embeds) expectInert(`${embed.title}\n${embed.description}`);
  });

  it('answers a DM with mentions in it without pinging the asker or anyone quoted', async () => {
    const { message } = emulator.sendDirectMessage({ content: `<@${emulator.defaultUser.id}> @everyone ${HARBOUR_QUESTION}` });
    const reply = await emulator.waitFor(() =>
      emulator.channelMessages(message.channel_id).find((candidate) => candidate.message_reference?.message_id === message.id),
    );
    expectNoPing(reply);
    for (const embed of reply.embeds) expectInert(`${embed.title}\n${embed.description}`);
  });
});

describe('a long answer', () => {
  function expectWithinLimits(message: APIMessage): void {
    expect(message.content.length).toBeLessThanOrEqual(2000);
    expect(message.embeds.length).toBeLessThanOrEqual(10);
    for (const embed of message.embeds) {
      expect(embed.title?.length ?? 0).toBeLessThanOrEqual(256);
      expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
      expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(2048);
    }
    expect(message.embeds.reduce((sum: number, embed: APIEmbed) => sum + embedTotal(embed), 0)).toBeLessThanOrEqual(6000);
    const rows = buttonRows(message);
    expect(rows.length).toBeLessThanOrEqual(5);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(5);
  }

  it('stays within every Discord limit with results: 5 over long passages, and loses no result', async () => {
    // Raw, the five best quotes alone exceed an answer's 6,000 characters.
    const raw = await engine.search(GLACIER_QUESTION, { k: 5 });
    expect(raw.results).toHaveLength(5);
    expect(raw.results.every((result) => result.source === GLACIER_SOURCE)).toBe(true);
    expect(raw.results.reduce((sum, result) => sum + result.quote.length, 0)).toBeGreaterThan(6000);

    const sent = emulator.sendSlashCommand({ name: 'ask', options: { question: GLACIER_QUESTION, results: 5 } });
    const reply = await sent.waitForResponse();
    expectWithinLimits(reply);
    expect(reply.embeds.length).toBeGreaterThan(0);
    // Each extract keeps its citation, however much was trimmed, under the one document's title.
    expect(reply.embeds).toHaveLength(1);
    const shown = citedRanks(reply).length;
    expect(citedSources(reply)).toEqual(Array.from({ length: shown }, () => GLACIER_SOURCE));

    // What did not fit is the next page, not lost: "More results" continues from the next rank.
    const click = emulator.clickButton({ message: reply, customId: findButton(reply, 'more:') });
    const next = await responseToClick(click, reply.id);
    expect(isEphemeral(next)).toBe(true);
    expectWithinLimits(next);
    expect(citedRanks(next)[0]).toBe(shown + 1);

    // The whole of a ~2,000-character passage, escaped, still fits one embed with its citation.
    const full = emulator.clickButton({ message: reply, customId: findButton(reply, 'passage:') });
    const passage = await responseToClick(full, reply.id);
    expectWithinLimits(passage);
    expect(citedSources(passage)).toEqual([GLACIER_SOURCE]);
  });
});
