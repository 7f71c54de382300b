import { describe, expect, it } from 'vitest';
import { citedRanks, isEphemeral, setUpBotSuite } from './helpers/bot-harness.js';

/* The bot follows the engine's settings: how many results by default, how long a question may be. */

const QUESTION = 'What did Iran say about the accusations?';

const suite = setUpBotSuite({ engine: { DEFAULT_RESULTS: '2', MAX_QUESTION_CHARS: '60' } });

describe('the bot and the engine settings', () => {
  it('answers /ask and a DM with DEFAULT_RESULTS results when none is asked for', async () => {
    const reply = await suite.emulator.sendSlashCommand({ name: 'ask', options: { question: QUESTION } }).waitForResponse();
    expect(citedRanks(reply)).toEqual([1, 2]);

    const { message } = suite.emulator.sendDirectMessage({ content: QUESTION });
    const dm = await suite.emulator.waitFor(() =>
      suite.emulator.channelMessages(message.channel_id).find((candidate) => candidate.message_reference?.message_id === message.id),
    );
    expect(citedRanks(dm)).toEqual([1, 2]);
  });

  it('takes questions up to MAX_QUESTION_CHARS, and says so, privately, for a longer one', async () => {
    const long = `${QUESTION} And what did the ministry add later?`;
    expect(long.length).toBeGreaterThan(60);
    const reply = await suite.emulator.sendSlashCommand({ name: 'ask', options: { question: long } }).waitForResponse();
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.embeds).toEqual([]);
    expect(reply.content).toBe('The question is 77 characters long; the limit is 60. Ask about one thing at a time.');
  });
});
