import { InteractionContextType, InteractionResponseType, MessageType, type APIMessage, type APIUser } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusEngine } from '../src/engine/corpus-engine.js';
import type { DiscordEmulator } from './discord-emulator/emulator.js';
import {
  callbacksOf,
  citedRanks,
  citedSources,
  expectOrderlyTraffic,
  findButton,
  isEphemeral,
  LogCollector,
  openEngine,
  registerCommands,
  responseToClick,
  startBot,
  startEmulator,
  stopBotSuite,
  type RunningBot,
} from './helpers/bot-harness.js';
import { createWorkspace, type Workspace } from './helpers/workspace.js';

// Two questions per user per window, so the rate-limit test needs only three asks; every other
// test uses fresh users and stays under it.
const BOT_ENV = { RATE_LIMIT_QUESTIONS: '2', RATE_LIMIT_WINDOW_SECONDS: '60' };
/** Answered by three passages, the first in 000_…, with a known answering sentence. */
const FOIL_QUESTION = 'What did the Secret Service foil in July?';
const FOIL_SENTENCE = 'foiled an attempt by Tehran to assassinate the former president';
/** Matches dozens of passages across the seed articles, so its answer has a "More results" button. */
const BROAD_QUESTION = 'What did Iran say about the accusations?';
const DENIES_SOURCE = '003_ed7262cd783d48bf.txt';

let emulator: DiscordEmulator;
let workspace: Workspace;
let engine: CorpusEngine;
let running: RunningBot;
const logs = new LogCollector();

beforeAll(async () => {
  emulator = await startEmulator();
  workspace = await createWorkspace();
  engine = await openEngine(workspace);
  await registerCommands(emulator);
  running = await startBot(emulator, engine, logs, BOT_ENV);
});

afterEach(() => expectOrderlyTraffic(emulator));

afterAll(() => stopBotSuite({ running, emulator, workspace }));

/** Asks in the first guild as `user` and returns the finished (non-"thinking…") reply. */
async function ask(options: Record<string, string | number | boolean>, user = emulator.createUser('asker')) {
  const sent = emulator.sendSlashCommand({ name: 'ask', user, options });
  const reply = await sent.waitForResponse();
  return { sent, reply, user };
}

describe('/ask', () => {
  it('answers in a guild with quoted extracts, citations and buttons, in one direct callback', async () => {
    const { sent, reply, user } = await ask({ question: FOIL_QUESTION });

    const [callback, ...others] = callbacksOf(emulator, sent);
    expect(others).toEqual([]);
    expect(callback?.body).toMatchObject({ type: InteractionResponseType.ChannelMessageWithSource });
    expect(isEphemeral(reply)).toBe(false);
    expect(reply.type).toBe(MessageType.ChatInputCommand);
    expect(reply.embeds.length).toBeGreaterThanOrEqual(1);
    expect(reply.embeds.length).toBeLessThanOrEqual(3);
    // The answering sentence is quoted and cited to its file, each document's results under its title once.
    expect(reply.embeds.map((embed) => embed.description).join('\n')).toContain(FOIL_SENTENCE);
    expect(citedSources(reply)).toContain('000_a3e3ba9c672df76e.txt');
    expect(citedRanks(reply)).toEqual([1, 2, 3]);
    const titles = reply.embeds.map((embed) => embed.title);
    expect(new Set(titles).size).toBe(titles.length);
    for (const embed of reply.embeds) expect(embed.description).toMatch(/— result \d · \[?(paragraph|paragraphs) \d+[^`\n]* · `[^`]+`/);
    expect(reply.embeds.at(-1)?.footer?.text).toContain(`“${FOIL_QUESTION}”`);
    expect(reply.embeds.at(-1)?.footer?.text).toMatch(/ · (all \w+ passages that answer|the best three of \w+ passages that answer) · /);
    expect(findButton(reply, 'passage:')).toMatch(/^passage:\d+$/);
    // The article's link goes to the quoted words: its text fragment names words the quote holds,
    // and the citation under the quote links there too.
    const linked = reply.embeds.find((embed) => embed.url?.startsWith('https://arab.news/y52zn'));
    const directive = /#:~:text=([^,]+)(?:,(.+))?$/.exec(linked?.url ?? '');
    expect(directive).not.toBeNull();
    const quote = /^> (.+)$/m.exec(linked!.description!)![1]!.replace(/\\|\*\*/g, '');
    for (const part of [directive![1]!, directive![2]].filter((part): part is string => part !== undefined)) {
      expect(quote).toContain(decodeURIComponent(part));
    }
    expect(linked!.description).toContain(`](${linked!.url})`);
    // Bold marks a sentence within a longer quote (this answer has one), never a whole quote.
    const quotes = reply.embeds.flatMap((embed) => (embed.description ?? '').split('\n').filter((text) => text.startsWith('> ')));
    expect(quotes.some((text) => text.includes('**'))).toBe(true);
    for (const quoted of quotes.filter((text) => text.includes('**'))) {
      expect(quoted.replace(/\*\*[^*]+\*\*/, '').replace(/^> (… )?/, '').trim()).not.toBe('');
    }

    const line = await logs.waitFor({ event: 'interaction', user: user.id });
    expect(line).toMatchObject({ level: 'info', kind: 'command', command: 'ask', where: 'guild', outcome: 'answered' });
    expect(line.results).toBe(citedRanks(reply).length);
    expect(line.latencyMs).toEqual(expect.any(Number));
  });

  it('answers in the bot DM (interaction context 1)', async () => {
    const user = emulator.createUser('dm-asker');
    const sent = emulator.sendSlashCommand({ name: 'ask', user, dm: true, options: { question: FOIL_QUESTION } });
    expect(sent.payload).toMatchObject({ context: InteractionContextType.BotDM });
    const reply = await sent.waitForResponse();
    expect(reply.channel_id).toBe(sent.payload.channel?.id);
    expect(citedSources(reply)).toContain('000_a3e3ba9c672df76e.txt');
    expect(await logs.waitFor({ event: 'interaction', user: user.id })).toMatchObject({ command: 'ask', where: 'dm', outcome: 'answered' });
  });

  it('answers privately when asked to, and says so when nothing in the documents answers', async () => {
    const { reply: privateReply, user } = await ask({ question: FOIL_QUESTION, private: true });
    expect(isEphemeral(privateReply)).toBe(true);
    expect(citedSources(privateReply)).toContain('000_a3e3ba9c672df76e.txt');
    expect(await logs.waitFor({ event: 'interaction', user: user.id })).toMatchObject({ outcome: 'answered_privately' });

    const { reply: notFound } = await ask({ question: 'What is a good recipe for banana bread?' });
    expect(isEphemeral(notFound)).toBe(true);
    expect(notFound.embeds).toEqual([]);
    expect(notFound.content).toMatch(/couldn't find a confident answer/);

    // A name no document mentions: declined, and the reply says which (escaped: it is user input).
    const { reply: unmentioned } = await ask({ question: 'What did the *Avril Haines* office say about Iran?' });
    expect(isEphemeral(unmentioned)).toBe(true);
    expect(unmentioned.embeds).toEqual([]);
    expect(unmentioned.content).toMatch(/^The documents don't mention Avril Haines\./);
    expect(unmentioned.content).toContain('\\*Avril Haines\\*');

    // A count the documents never give: declined, and the reply says what is missing.
    const { reply: uncounted } = await ask({ question: 'How many were killed in the October 1 Iranian missile strike on Israel?' });
    expect(isEphemeral(uncounted)).toBe(true);
    expect(uncounted.content).toMatch(/^The documents speak of this but don't give that number\. Nothing in them answers/);
  });

  it('restricts to the document picked with `source`, and refuses one that is not indexed', async () => {
    const { reply } = await ask({ question: BROAD_QUESTION, source: DENIES_SOURCE, results: 5 });
    expect(citedSources(reply).length).toBeGreaterThan(0);
    expect(new Set(citedSources(reply))).toEqual(new Set([DENIES_SOURCE]));

    const { reply: refused } = await ask({ question: BROAD_QUESTION, source: 'nope.txt' });
    expect(isEphemeral(refused)).toBe(true);
    expect(refused.content).toMatch(/not in the index/);
  });
});

describe('direct messages', () => {
  it('answers a plain DM, and ignores its own echoed replies and other bots', async () => {
    const human = emulator.createUser('dm-human');
    const otherBot: typeof human = { ...emulator.createUser('other-bot'), bot: true };

    const { message: fromBot, delivered: botDelivered } = emulator.sendDirectMessage({ user: otherBot, content: FOIL_QUESTION });
    expect(botDelivered).toBe(true);
    const { message: question, delivered } = emulator.sendDirectMessage({ user: human, content: FOIL_QUESTION });
    expect(delivered).toBe(true);

    const reply = await emulator.waitFor(() =>
      emulator.channelMessages(question.channel_id).find((message) => message.message_reference?.message_id === question.id),
    );
    expect(reply.author.id).toBe(emulator.botUser.id);
    expect(reply.type).toBe(MessageType.Reply);
    expect(reply.mentions).toEqual([]); // answering does not ping the asker
    expect(citedSources(reply)).toContain('000_a3e3ba9c672df76e.txt');
    // Discord echoes the bot's own reply to the gateway; that echo must not be answered.
    await emulator.waitFor(() =>
      emulator.dispatches().some((d) => d.t === 'MESSAGE_CREATE' && (d.d as APIMessage).id === reply.id) ? true : undefined,
    );
    await logs.waitFor({ event: 'interaction', user: human.id });

    // A second human message is a barrier: events are handled in order, so once it is answered
    // any reply to the echo or to the other bot would already have been sent.
    const { message: again } = emulator.sendDirectMessage({ user: human, content: BROAD_QUESTION });
    await emulator.waitFor(() =>
      emulator.channelMessages(again.channel_id).find((message) => message.message_reference?.message_id === again.id),
    );
    await logs.waitForInteractions({ user: human.id }, 2);

    const botMessages = emulator.channelMessages(question.channel_id).filter((message) => message.author.id === emulator.botUser.id);
    expect(botMessages.map((message) => message.message_reference?.message_id)).toEqual([question.id, again.id]);
    expect(emulator.channelMessages(fromBot.channel_id).filter((message) => message.author.id === emulator.botUser.id)).toEqual([]);
    expect(logs.interactions({ user: otherBot.id })).toEqual([]);
    expect(logs.interactions({ user: emulator.botUser.id })).toEqual([]);
    expect(logs.interactions({ user: human.id })[0]).toMatchObject({ kind: 'message', command: 'dm', where: 'dm', outcome: 'answered' });

    // The reply's buttons work in the DM too, answered privately.
    const click = emulator.clickButton({ message: reply, customId: findButton(reply, 'passage:'), user: human });
    const passage = await responseToClick(click, reply.id);
    expect(isEphemeral(passage)).toBe(true);
    expect(passage.embeds[0]?.footer?.text).toMatch(/^The whole passage/);
  });
});

describe('autocomplete of `source`', () => {
  it('suggests indexed documents, matching title or file name', async () => {
    const all = emulator.sendAutocomplete({ name: 'ask', options: { question: 'x', source: '' }, focused: 'source' });
    await all.waitForCallback();
    const indexed = engine.sources().map((info) => info.source).sort();
    expect(all.record().autocompleteChoices?.map((choice) => choice.value).sort()).toEqual(indexed);

    const typed = emulator.sendAutocomplete({ name: 'ask', options: { question: 'x', source: 'denies' }, focused: 'source' });
    await typed.waitForCallback();
    expect(typed.record().autocompleteChoices).toEqual([
      { name: 'Iran Denies US Intelligence Claims Over Election Interference', value: DENIES_SOURCE },
    ]);
    expect(await logs.waitFor({ event: 'interaction', kind: 'autocomplete' })).toMatchObject({ command: 'ask', outcome: 'suggested' });
  });
});

describe('buttons', () => {
  /** An answer and what its two buttons show now, clicked by a new user. */
  async function answerAndClicks(): Promise<{ answer: APIMessage; more: APIMessage; passage: APIMessage; clicker: APIUser }> {
    const { reply: answer } = await ask({ question: BROAD_QUESTION });
    const clicker = emulator.createUser('clicker');
    const more = await responseToClick(emulator.clickButton({ message: answer, customId: findButton(answer, 'more:'), user: clicker }), answer.id);
    const passage = await responseToClick(emulator.clickButton({ message: answer, customId: findButton(answer, 'passage:'), user: clicker }), answer.id);
    return { answer, more, passage, clicker };
  }

  it('"More results" and "Full passage" answer ephemerally to whoever clicks', async () => {
    const { reply: answer, user: asker } = await ask({ question: BROAD_QUESTION });
    expect(citedRanks(answer)).toEqual([1, 2, 3]);
    const clicker = emulator.createUser('clicker');

    const more = emulator.clickButton({ message: answer, customId: findButton(answer, 'more:'), user: clicker });
    const nextPage = await responseToClick(more, answer.id);
    expect(more.record().callback?.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(nextPage)).toBe(true);
    expect(nextPage.interaction_metadata?.user.id).toBe(clicker.id);
    expect(nextPage.id).not.toBe(answer.id);
    // The next page of the same ranking: results 4–6, same question in the footer.
    expect(citedRanks(nextPage)).toEqual([4, 5, 6]);
    expect(nextPage.embeds.at(-1)?.footer?.text).toMatch(/^“What did Iran say about the accusations\?” · results 4–6 of \w+ passages that answer/);
    // The public answer itself is untouched.
    expect(emulator.message(answer.id)?.embeds).toEqual(answer.embeds);

    const passageId = Number(findButton(answer, 'passage:').split(':')[1]);
    const view = await engine.passage(passageId);
    expect(view).toBeDefined();
    const full = emulator.clickButton({ message: answer, customId: `passage:${passageId}`, user: clicker });
    const passage = await responseToClick(full, answer.id);
    expect(isEphemeral(passage)).toBe(true);
    expect(passage.interaction_metadata?.user.id).toBe(clicker.id);
    expect(passage.embeds[0]?.description).toContain(`— ${view!.location} · \`${view!.source}\``);
    expect(passage.embeds[0]?.footer?.text).toMatch(/^The whole passage/);

    await logs.waitForInteractions({ user: clicker.id }, 2);
    expect(logs.interactions({ user: clicker.id }).map((line) => [line.kind, line.command, line.outcome])).toEqual([
      ['button', 'more', 'answered'],
      ['button', 'passage', 'shown'],
    ]);
    expect(logs.interactions({ user: asker.id })).toHaveLength(1);
  });

  it('keep working after the bot restarts over the same index', async () => {
    const before = await answerAndClicks();
    const versionBefore = engine.indexVersion;
    await running.bot.stop();
    await emulator.waitFor(() => (emulator.session === null ? true : undefined));

    engine = await openEngine(workspace);
    expect(engine.openingBuild).toBeNull(); // loaded from disk, not rebuilt
    expect(engine.indexVersion).toBe(versionBefore);
    running = await startBot(emulator, engine, logs, BOT_ENV);

    const clicker = emulator.createUser('clicker-after-restart');
    const more = emulator.clickButton({ message: before.answer.id, customId: findButton(before.answer, 'more:'), user: clicker });
    const moreAfter = await responseToClick(more, before.answer.id);
    expect(isEphemeral(moreAfter)).toBe(true);
    expect(moreAfter.embeds).toEqual(before.more.embeds);

    const full = emulator.clickButton({ message: before.answer.id, customId: findButton(before.answer, 'passage:'), user: clicker });
    const passageAfter = await responseToClick(full, before.answer.id);
    expect(isEphemeral(passageAfter)).toBe(true);
    expect(passageAfter.embeds).toEqual(before.passage.embeds);
  });

  it('"More results" is refused after a re-index that changed the corpus', async () => {
    const before = await answerAndClicks();
    await workspace.write(`lighthouse-${Date.now()}.txt`, 'The Skerryvore lighthouse keepers logged forty storms in the winter of 1844, more than any year before.\n');
    const summary = await engine.reindex();
    expect(summary.changed).toBe(true);

    const clicker = emulator.createUser('late-clicker');
    const more = emulator.clickButton({ message: before.answer.id, customId: findButton(before.answer, 'more:'), user: clicker });
    const refused = await responseToClick(more, before.answer.id);
    expect(isEphemeral(refused)).toBe(true);
    expect(refused.embeds).toEqual([]);
    expect(refused.content).toMatch(/re-indexed since this answer/);
    expect(await logs.waitFor({ event: 'interaction', user: clicker.id })).toMatchObject({ command: 'more', outcome: 'stale' });

    // Passages of unchanged documents keep their ids, so "Full passage" still works.
    const full = emulator.clickButton({ message: before.answer.id, customId: findButton(before.answer, 'passage:'), user: clicker });
    expect((await responseToClick(full, before.answer.id)).embeds).toEqual(before.passage.embeds);
  });

  it('autocomplete offers at most 25 documents when more are indexed', async () => {
    await addFieldNotes();
    expect(engine.sources().length).toBeGreaterThan(25);

    const sent = emulator.sendAutocomplete({ name: 'ask', options: { question: 'x', source: '' }, focused: 'source' });
    await sent.waitForCallback();
    const choices = sent.record().autocompleteChoices ?? [];
    expect(choices).toHaveLength(25);
    const indexed = new Set(engine.sources().map((info) => info.source));
    for (const choice of choices) expect(indexed.has(String(choice.value))).toBe(true);
  });
});

/** Thirty short notes, so the corpus has more documents than one page or one autocomplete list shows. */
async function addFieldNotes(): Promise<void> {
  for (let i = 0; i < 30; i += 1) {
    const n = String(i).padStart(2, '0');
    await workspace.write(`notes/note-${n}.txt`, `Field note ${n}\nObservers counted ${i + 3} herons at pond ${n} during the spring survey.\n`);
  }
  await engine.reindex();
}

describe('/sources', () => {
  it('lists the indexed documents privately, ten a page, and pages in place with its buttons', async () => {
    await addFieldNotes();
    const count = engine.sources().length;
    expect(count).toBeGreaterThan(20);
    const sent = emulator.sendSlashCommand({ name: 'sources' });
    const list = await sent.waitForResponse();
    expect(isEphemeral(list)).toBe(true);
    expect(list.embeds[0]?.title).toBe(`Indexed documents (${count})`);
    expect(list.embeds[0]?.footer?.text).toBe(`Page 1 of ${Math.ceil(count / 10)}`);
    expect(list.embeds[0]?.description).toContain('`000_a3e3ba9c672df76e.txt`');

    const click = emulator.clickButton({ message: list, customId: 'sources:1' });
    expect((await click.waitForCallback()).type).toBe(InteractionResponseType.UpdateMessage);
    const page2 = emulator.message(list.id);
    expect(page2?.embeds[0]?.footer?.text).toBe(`Page 2 of ${Math.ceil(count / 10)}`);
    expect(page2?.embeds[0]?.description).toMatch(/^\*\*11\.\*\* /);
  });
});

describe('rate limit', () => {
  it('tells the third question in the window to wait, privately', async () => {
    const user = emulator.createUser('eager');
    await ask({ question: FOIL_QUESTION }, user);
    await ask({ question: BROAD_QUESTION }, user);
    const { sent, reply } = await ask({ question: FOIL_QUESTION }, user);
    expect(sent.record().callback?.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(reply)).toBe(true);
    const seconds = Number(/please wait (\d+) s/.exec(reply.content)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    await logs.waitForInteractions({ user: user.id }, 3);
    expect(logs.interactions({ user: user.id }).map((line) => line.outcome)).toEqual(['answered', 'answered', 'rate_limited']);

    // Another user is not affected.
    const { reply: other } = await ask({ question: FOIL_QUESTION });
    expect(isEphemeral(other)).toBe(false);
  });

  it('counts "More results" and direct messages against the same limit', async () => {
    const user = emulator.createUser('clicker');
    const { reply } = await ask({ question: BROAD_QUESTION }, user);
    await ask({ question: FOIL_QUESTION }, user);
    const click = emulator.clickButton({ message: reply, customId: findButton(reply, 'more:'), user });
    const refused = await responseToClick(click, reply.id);
    expect(isEphemeral(refused)).toBe(true);
    expect(refused.content).toMatch(/asking faster than I can keep up with — please wait \d+ s/);

    const { message } = emulator.sendDirectMessage({ user, content: FOIL_QUESTION });
    const dmReply = await emulator.waitFor(() =>
      emulator.channelMessages(message.channel_id).find((candidate) => candidate.message_reference?.message_id === message.id),
    );
    expect(dmReply.content).toMatch(/asking faster than I can keep up with/);
    expect(dmReply.embeds).toEqual([]);
  });
});
