import { setTimeout as delay } from 'node:timers/promises';
import { InteractionResponseType, type APIUser } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusEngine } from '../src/engine/corpus-engine.js';
import type { DiscordEmulator } from './discord-emulator/emulator.js';
import { DEFAULT_MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS } from './discord-emulator/payloads.js';
import {
  citedSources,
  editsOfOriginal,
  expectOrderlyTraffic,
  findButton,
  GatedEmbedder,
  isEphemeral,
  LogCollector,
  openEngine,
  registerCommands,
  reindexVerdictEdit,
  startBot,
  startEmulator,
  stopBotSuite,
  type RunningBot,
} from './helpers/bot-harness.js';
import { CountingEmbedder, createWorkspace, testEmbedder, type Workspace } from './helpers/workspace.js';

const SEED_QUESTION = 'What did Iran say about the accusations?';
const LIGHTHOUSE_SOURCE = 'lighthouse.txt';
const LIGHTHOUSE_QUESTION = 'How many storms did the Skerryvore lighthouse keepers log in 1844?';
const LIGHTHOUSE_TEXT = [
  'Skerryvore lighthouse log',
  '',
  'The Skerryvore lighthouse keepers logged forty-one storms in the winter of 1844, more than in any year before, and the lamp stayed lit through all of them.',
  '',
].join('\n');

let emulator: DiscordEmulator;
let workspace: Workspace;
let counting: CountingEmbedder;
let gated: GatedEmbedder;
let engine: CorpusEngine;
let running: RunningBot;
let owner: APIUser;
const logs = new LogCollector();

beforeAll(async () => {
  emulator = await startEmulator();
  owner = emulator.createUser('owner');
  workspace = await createWorkspace();
  counting = new CountingEmbedder(await testEmbedder());
  gated = new GatedEmbedder(counting);
  engine = await openEngine(workspace, { embedder: gated });
  await registerCommands(emulator);
  running = await startBot(emulator, engine, logs, { BOT_OWNER_IDS: owner.id });
});

afterEach(() => {
  gated.open();
  counting.failAfterPassages = Infinity;
  expectOrderlyTraffic(emulator);
});

afterAll(async () => {
  gated?.open();
  await stopBotSuite({ running, emulator, workspace });
});

function reindex(source: { user?: APIUser; dm?: boolean; memberPermissions?: bigint } = {}) {
  return emulator.sendSlashCommand({ name: 'reindex', memberPermissions: MODERATOR_PERMISSIONS, ...source });
}

const finalEdit = (sent: ReturnType<typeof reindex>) => reindexVerdictEdit(emulator, sent);

const contentOf = (request: { body: unknown }) => String((request.body as { content?: string }).content ?? '');

describe('/reindex permissions', () => {
  it('refuses a member without Manage Server, privately, and does not re-index', async () => {
    const member = emulator.createUser('member');
    const before = counting.passagesEmbedded;
    const sent = reindex({ user: member, memberPermissions: DEFAULT_MEMBER_PERMISSIONS });
    const reply = await sent.waitForResponse();
    expect(sent.record().callback?.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.content).toMatch(/needs the \*\*Manage Server\*\* permission/);
    expect(await logs.waitFor({ event: 'interaction', user: member.id })).toMatchObject({ command: 'reindex', where: 'guild', outcome: 'refused' });
    expect(engine.isReindexing).toBe(false);
    expect(counting.passagesEmbedded).toBe(before);
  });

  it('in a DM, lets an owner (BOT_OWNER_IDS) re-index and refuses anyone else', async () => {
    const stranger = emulator.createUser('stranger');
    const refused = reindex({ user: stranger, dm: true });
    const refusal = await refused.waitForResponse();
    expect(isEphemeral(refusal)).toBe(true);
    expect(refusal.content).toMatch(/only the bot’s owners \(BOT_OWNER_IDS\)/);
    expect(await logs.waitFor({ event: 'interaction', user: stranger.id })).toMatchObject({ where: 'dm', outcome: 'refused' });

    const allowed = reindex({ user: owner, dm: true });
    const done = await finalEdit(allowed);
    expect(contentOf(done)).toMatch(/^Re-index done\.\nIndex \S+ is up to date: 5 documents, \d+ passages\./);
    expect(await logs.waitFor({ event: 'interaction', user: owner.id })).toMatchObject({ where: 'dm', outcome: 'unchanged' });
  });
});

describe('/reindex by a moderator', () => {
  it('defers privately, then edits in the summary with the counts', async () => {
    await workspace.write('harbour.txt', 'Port Elsinore harbour\n\nThe harbour committee of Port Elsinore announced new ferry tolls for the north quay from 1 March.\n');
    const moderator = emulator.createUser('moderator');
    const sent = reindex({ user: moderator });
    expect((await sent.waitForCallback()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(isEphemeral(emulator.interactionResponse(sent.token))).toBe(true);

    const done = await finalEdit(sent);
    expect(contentOf(done)).toMatch(/^Re-index done\.\nIndex \S+ ready: 6 documents, \d+ passages\./);
    expect(contentOf(done)).toMatch(/Documents: 1 new, 0 changed, 0 removed, 5 unchanged\./);
    expect(contentOf(done)).toMatch(/Passages: [1-9]\d* embedded, \d+ reused/);
    // Every earlier edit is a progress line; the summary is the last word.
    const edits = editsOfOriginal(emulator, sent).map(contentOf);
    expect(edits.at(-1)).toBe(contentOf(done));
    for (const progress of edits.slice(0, -1)) expect(progress).toMatch(/^Re-indexing… /);
    expect(emulator.interactionResponse(sent.token)?.content).toBe(contentOf(done));

    const line = await logs.waitFor({ event: 'interaction', user: moderator.id });
    expect(line).toMatchObject({ command: 'reindex', where: 'guild', outcome: 'reindexed' });
    expect(line.results).toBe(engine.sources().reduce((sum, info) => sum + info.passages, 0));
  });

  it('tells a second /reindex that one is running, and answers questions from the old index meanwhile', async () => {
    await workspace.remove(LIGHTHOUSE_SOURCE).catch(() => undefined);
    await engine.reindex();
    const documentsBefore = engine.sources().length;
    await workspace.write(LIGHTHOUSE_SOURCE, LIGHTHOUSE_TEXT);
    const versionBefore = engine.indexVersion;
    gated.close();

    const first = reindex({ user: emulator.createUser('first-mod') });
    expect((await first.waitForCallback()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const deferredAt = Date.now();
    await gated.held(); // the re-index is now embedding the new file, and stays there

    const second = reindex({ user: emulator.createUser('second-mod') });
    const busy = await second.waitForResponse();
    expect(isEphemeral(busy)).toBe(true);
    expect(busy.content).toMatch(/already running/);

    // Questions are answered meanwhile, by the index in service before the re-index.
    const seed = await emulator.sendSlashCommand({ name: 'ask', options: { question: SEED_QUESTION } }).waitForResponse();
    expect(citedSources(seed).length).toBeGreaterThan(0);
    const answerId = Number(findButton(seed, 'more:').split(':')[1]);
    expect(running.context.answers.find(answerId)?.indexVersion).toBe(versionBefore);
    const early = await emulator.sendSlashCommand({ name: 'ask', options: { question: LIGHTHOUSE_QUESTION } }).waitForResponse();
    expect(citedSources(early)).not.toContain(LIGHTHOUSE_SOURCE);
    expect(engine.isReindexing).toBe(true);
    expect(engine.indexVersion).toBe(versionBefore);

    // The bot edits progress at most once a second; holding the re-index past that lets one show.
    await delay(Math.max(0, deferredAt + 1_100 - Date.now()));
    gated.open();
    const done = await finalEdit(first);
    expect(contentOf(done)).toMatch(new RegExp(`^Re-index done\\.\\nIndex \\S+ ready: ${documentsBefore + 1} documents`));
    const edits = editsOfOriginal(emulator, first).map(contentOf);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    for (const progress of edits.slice(0, -1)) {
      expect(progress).toMatch(new RegExp(`^Re-indexing… (Embedding \\[[#-]+\\] \\d+\\/\\d+ passages|Writing the index) · ${documentsBefore + 1} files \\(1 new`));
    }

    const after = await emulator.sendSlashCommand({ name: 'ask', options: { question: LIGHTHOUSE_QUESTION } }).waitForResponse();
    expect(citedSources(after)[0]).toBe(LIGHTHOUSE_SOURCE);
    expect(engine.indexVersion).not.toBe(versionBefore);
    expect(logs.interactions({ command: 'reindex', outcome: 'already_running' })).toHaveLength(1);
  });

  it('reports a failed re-index, and the previous index keeps answering', async () => {
    await workspace.write(LIGHTHOUSE_SOURCE, LIGHTHOUSE_TEXT);
    await engine.reindex();
    counting.failAfterPassages = counting.passagesEmbedded; // the next passage embedding throws
    await workspace.write('failing.txt', 'Failing document\n\nThe observatory on Ben Nevis recorded a wind speed of 150 miles per hour in January 1884.\n');
    const versionBefore = engine.indexVersion;
    const moderator = emulator.createUser('unlucky-mod');

    const sent = reindex({ user: moderator });
    const failed = await finalEdit(sent);
    expect(contentOf(failed)).toBe('Re-index failed: embedding failed (simulated)\nThe previous index is still answering questions.');
    expect(isEphemeral(emulator.interactionResponse(sent.token))).toBe(true);
    expect(await logs.waitFor({ event: 'interaction', user: moderator.id })).toMatchObject({ command: 'reindex', outcome: 'failed' });
    expect(logs.entries({ event: 'reindex_failed', level: 'error' })[0]).toMatchObject({ user: moderator.id, error: { message: 'embedding failed (simulated)' } });
    expect(engine.indexVersion).toBe(versionBefore);
    expect(engine.isReindexing).toBe(false);

    const still = await emulator.sendSlashCommand({ name: 'ask', options: { question: LIGHTHOUSE_QUESTION } }).waitForResponse();
    expect(citedSources(still)[0]).toBe(LIGHTHOUSE_SOURCE);
    expect(findButton(still, 'passage:')).toBeDefined();
    await workspace.remove('failing.txt');
  });
  it('when the reply cannot even be deferred, the re-index still ends, its failure is logged once, and nothing crashes', async () => {
    counting.failAfterPassages = counting.passagesEmbedded;
    await workspace.write('failing.txt', 'Failing document\n\nThe observatory on Ben Nevis recorded a wind speed of 150 miles per hour in January 1884.\n');
    const versionBefore = engine.indexVersion;
    const moderator = emulator.createUser('too-late-mod');
    // 404 is what Discord answers an interaction acknowledged too late ("Unknown interaction").
    emulator.failNextRequest((request) => request.method === 'POST' && request.path.endsWith('/callback'), { status: 404 });

    reindex({ user: moderator });
    expect(await logs.waitFor({ event: 'reindex_failed', user: moderator.id })).toMatchObject({ error: { message: 'embedding failed (simulated)' } });
    expect(await logs.waitFor({ event: 'interaction', user: moderator.id })).toMatchObject({ command: 'reindex', outcome: 'error' });
    expect(logs.entries({ event: 'reindex_failed', user: moderator.id })).toHaveLength(1);
    expect(engine.indexVersion).toBe(versionBefore);
    expect(engine.isReindexing).toBe(false);
    await workspace.remove('failing.txt');
  });
});
