import { setTimeout as delay } from 'node:timers/promises';
import { PermissionFlagsBits, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusEngine } from '../src/engine/corpus-engine.js';
import type { DiscordEmulator, SentInteraction } from './discord-emulator/emulator.js';
import { DEFAULT_MEMBER_PERMISSIONS } from './discord-emulator/payloads.js';
import {
  citedSources,
  HEARTBEAT_MS,
  LogCollector,
  registerCommands,
  reindexVerdictEdit,
  startBot,
  startEmulator,
  stopBotSuite,
  type RunningBot,
} from './helpers/bot-harness.js';
import { writeGeneratedReports } from './helpers/generated-corpus.js';
import { createWorkspace, type Workspace } from './helpers/workspace.js';

/*
 * The bot as `npm start` runs it: the engine opened with no test embedder, so index builds run
 * where production runs them, with the real model. A re-index of a thousand new documents keeps
 * the model busy for many seconds; the bot must go on acknowledging, answering and heartbeating.
 */

const NEW_DOCUMENTS = 1000;
const ASK_EVERY_MS = 400;
const ACK_DEADLINE_MS = 3_000;
/** discord.js heartbeats once per interval; a blocked event loop shows as a gap of many (the old in-process build: 34.7 s). */
const MAX_HEARTBEAT_GAP_MS = 2 * HEARTBEAT_MS;
const SEED_QUESTION = 'What did Iran say about the accusations?';

let emulator: DiscordEmulator;
let workspace: Workspace;
let engine: CorpusEngine;
let running: RunningBot;
const logs = new LogCollector();

beforeAll(async () => {
  emulator = await startEmulator();
  workspace = await createWorkspace();
  engine = await CorpusEngine.open(workspace.settings());
  await registerCommands(emulator);
  running = await startBot(emulator, engine, logs, { RATE_LIMIT_QUESTIONS: '1000' });
  await emulator.waitFor(() => (emulator.heartbeats().length >= 2 ? true : undefined), 4 * HEARTBEAT_MS, 'the first heartbeats');
}, 180_000);

afterAll(async () => {
  await stopBotSuite({ running, emulator, workspace });
});

describe('/reindex of a thousand new documents, with the real model', () => {
  it('keeps acknowledging and answering questions, and heartbeats keep their interval', async () => {
    await writeGeneratedReports(workspace.corpusDir, NEW_DOCUMENTS);
    const moderator = emulator.createUser('moderator');
    const startedAt = Date.now();
    const reindex = emulator.sendSlashCommand({
      name: 'reindex',
      user: moderator,
      memberPermissions: DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild,
    });
    const done = reindexVerdictEdit(emulator, reindex, 170_000);
    let finished = false;
    void done.then(() => (finished = true), () => (finished = true));

    const asked: SentInteraction[] = [];
    while (!finished) {
      asked.push(emulator.sendSlashCommand({ name: 'ask', user: emulator.createUser(`asker${asked.length}`), options: { question: SEED_QUESTION } }));
      await delay(ASK_EVERY_MS);
    }
    const edit = await done;
    const endedAt = Date.now();
    expect(String((edit.body as { content?: string }).content)).toMatch(
      new RegExp(`^Re-index done\\.\\nIndex \\S+ ready: ${NEW_DOCUMENTS + 5} documents`),
    );
    // Enough questions arrived while the model was busy for the check to mean something.
    expect(asked.length).toBeGreaterThanOrEqual(10);

    const answers: APIMessage[] = await Promise.all(asked.map((sent) => sent.waitForResponse(undefined, 20_000)));
    const late = asked
      .map((sent) => sent.record())
      .filter((record) => !record.callback || record.callback.at - record.dispatchedAt > ACK_DEADLINE_MS);
    expect(late.map((record) => record.callback ? record.callback.at - record.dispatchedAt : 'never')).toEqual([]);
    for (const answer of answers) expect(citedSources(answer).some((source) => source.startsWith('00'))).toBe(true);

    // Every gap between heartbeats that overlaps the re-index, from the last beat before it to the first after.
    await emulator.waitFor(() => emulator.heartbeats().find((beat) => beat.receivedAt > endedAt), 4 * HEARTBEAT_MS, 'a heartbeat after the re-index');
    const beats = emulator.heartbeats();
    const window = beats.slice(
      Math.max(0, beats.findLastIndex((beat) => beat.receivedAt <= startedAt)),
      beats.findIndex((beat) => beat.receivedAt > endedAt) + 1,
    );
    const gaps = window.slice(1).map((beat, i) => beat.receivedAt - window[i]!.receivedAt);
    expect(gaps.length).toBeGreaterThan(2);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(MAX_HEARTBEAT_GAP_MS);
  }, 200_000);

  it('then answers from the new documents', { timeout: 120_000 }, async () => {
    // Run alone, this test indexes the reports itself.
    if (!engine.sources().some((info) => info.source === 'report-0417.txt')) {
      await writeGeneratedReports(workspace.corpusDir, NEW_DOCUMENTS);
      await engine.reindex();
    }
    const sent = emulator.sendSlashCommand({ name: 'ask', options: { question: 'What did parish report 417 say about the council?' } });
    const answer = await sent.waitForResponse();
    expect(citedSources(answer)).toContain('report-0417.txt');
  });
});
