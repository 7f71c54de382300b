import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordEmulator } from './discord-emulator/emulator.js';
import {
  LogCollector,
  expectOrderlyTraffic,
  isEphemeral,
  openEngine,
  registerCommands,
  startBot,
  startEmulator,
  stopBotSuite,
  type RunningBot,
} from './helpers/bot-harness.js';
import { createWorkspace, type Workspace } from './helpers/workspace.js';

/* The bot follows the engine's settings: how many results by default, how long a question may be. */

const QUESTION = 'What did Iran say about the accusations?';

let emulator: DiscordEmulator;
let workspace: Workspace;
let running: RunningBot;
const logs = new LogCollector();

beforeAll(async () => {
  emulator = await startEmulator();
  workspace = await createWorkspace();
  const engine = await openEngine(workspace, { env: { DEFAULT_RESULTS: '2', MAX_QUESTION_CHARS: '60' } });
  await registerCommands(emulator);
  running = await startBot(emulator, engine, logs);
});

afterEach(() => expectOrderlyTraffic(emulator));
afterAll(() => stopBotSuite({ running, emulator, workspace }));

describe('the bot and the engine settings', () => {
  it('answers /ask and a DM with DEFAULT_RESULTS results when none is asked for', async () => {
    const reply = await emulator.sendSlashCommand({ name: 'ask', options: { question: QUESTION } }).waitForResponse();
    expect(reply.embeds).toHaveLength(2);

    const { message } = emulator.sendDirectMessage({ content: QUESTION });
    const dm = await emulator.waitFor(() =>
      emulator.channelMessages(message.channel_id).find((candidate) => candidate.message_reference?.message_id === message.id),
    );
    expect(dm.embeds).toHaveLength(2);
  });

  it('takes questions up to MAX_QUESTION_CHARS, and says so, privately, for a longer one', async () => {
    const long = `${QUESTION} And what did the ministry add later?`;
    expect(long.length).toBeGreaterThan(60);
    const reply = await emulator.sendSlashCommand({ name: 'ask', options: { question: long } }).waitForResponse();
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.embeds).toEqual([]);
    expect(reply.content).toBe('The question is 77 characters long; the limit is 60. Ask about one thing at a time.');
  });
});
