import { PermissionFlagsBits, type APIMessage, type APIUser } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMBER_PERMISSIONS } from './discord-emulator/payloads.js';
import { buttonRows, findButton, isEphemeral, responseToClick, setUpBotSuite, startBot } from './helpers/bot-harness.js';

const MODERATOR_PERMISSIONS = DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild;
const FOIL_QUESTION = 'What did the Secret Service foil in July?';
// Three wordings of one question the seed articles cannot answer (they never mention the CIA),
// and one about something else entirely.
const CIA_WORDINGS = ['What did the CIA say about Iran?', "what did the CIA say about Iran's hackers", 'What did the CIA say about Iran'];
const BANANA = 'How do I bake banana bread?';

const suite = setUpBotSuite();

async function ask(question: string, source: { user?: APIUser; dm?: boolean } = {}): Promise<APIMessage> {
  return suite.emulator.sendSlashCommand({ name: 'ask', options: { question }, user: source.user ?? suite.emulator.createUser('asker'), dm: source.dm }).waitForResponse();
}

async function vote(answer: APIMessage, which: 'up' | 'down', user: APIUser): Promise<string> {
  const click = suite.emulator.clickButton({ message: answer, customId: findButton(answer, `vote:`).replace(/:(up|down)$/, `:${which}`), user });
  const reply = await responseToClick(click, answer.id);
  expect(isEphemeral(reply)).toBe(true);
  return reply.content;
}

async function gaps(options: { memberPermissions?: bigint; days?: number } = {}): Promise<APIMessage> {
  const { memberPermissions = MODERATOR_PERMISSIONS, days } = options;
  const sent = suite.emulator.sendSlashCommand({ name: 'gaps', memberPermissions, user: suite.emulator.createUser('moderator'), options: days === undefined ? {} : { days } });
  const reply = await sent.waitForResponse();
  expect(isEphemeral(reply)).toBe(true);
  return reply;
}

describe('feedback on answers, and /gaps', () => {
  let foilAnswer: APIMessage;

  it('puts 👍/👎 under every answer: one vote per person, which a later click changes', async () => {
    foilAnswer = await ask(FOIL_QUESTION);
    const votes = buttonRows(foilAnswer).flat().filter((id) => id.startsWith('vote:'));
    expect(votes).toEqual([expect.stringMatching(/^vote:\d+:up$/), expect.stringMatching(/^vote:\d+:down$/)]);

    const reader = suite.emulator.createUser('reader');
    expect(await vote(foilAnswer, 'down', reader)).toMatch(/your 👎 is recorded/);
    expect(await vote(foilAnswer, 'up', reader)).toMatch(/now 👍/);
    expect(await vote(foilAnswer, 'up', reader)).toMatch(/already voted 👍/);
    expect(await vote(foilAnswer, 'down', reader)).toMatch(/now 👎/);
    expect(await vote(foilAnswer, 'down', suite.emulator.createUser('second-reader'))).toMatch(/your 👎 is recorded/);
    const outcomes = suite.logs.interactions({ command: 'vote', user: reader.id }).map((line) => line.outcome);
    expect(outcomes).toEqual(['vote_recorded', 'vote_changed', 'vote_unchanged', 'vote_changed']);
  });

  it('shows moderators the declined and voted-down questions of their server, alike wordings grouped', async () => {
    for (const question of CIA_WORDINGS) expect((await ask(question)).embeds).toEqual([]);
    expect((await ask(BANANA)).embeds).toEqual([]);
    // Asked in a DM: not this server's gap.
    await ask('What did the Mossad say about Iran?', { dm: true });

    const refused = await gaps({ memberPermissions: DEFAULT_MEMBER_PERMISSIONS });
    expect(refused.embeds).toEqual([]);
    expect(refused.content).toMatch(/needs the \*\*Manage Server\*\* permission/);

    const shown = await gaps();
    const lines = shown.embeds[0]!.description!.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(lines[0]).toMatch(/^1\. \*\*3×\*\* “What did the CIA say about Iran\?” — not found 3×/);
    expect(shown.embeds[0]!.description).toContain('also asked as “what did the CIA say about Iran\'s hackers”');
    const rest = lines.slice(1).join('\n');
    expect(rest).toMatch(/\*\*1×\*\* “How do I bake banana bread\?” — not found 1×/);
    // The answered question two people voted down (one vote each, the changed one counted once).
    expect(rest).toMatch(/\*\*1×\*\* “What did the Secret Service foil in July\?” — 👎 2/);
    expect(shown.embeds[0]!.description).not.toContain('Mossad');
    expect(lines).toHaveLength(3);
  });

  it('keeps votes and gaps across a restart; with FEEDBACK=false records none and offers no votes', async () => {
    await suite.running.bot.stop();
    suite.running = await startBot(suite.emulator, suite.engine, suite.logs);
    expect((await gaps()).embeds[0]!.description).toMatch(/^1\. \*\*3×\*\* “What did the CIA say about Iran\?”/);
    // The answer's buttons, from before the restart, still vote.
    expect(await vote(foilAnswer, 'up', suite.emulator.createUser('after-restart'))).toMatch(/your 👍 is recorded/);

    await suite.running.bot.stop();
    suite.running = await startBot(suite.emulator, suite.engine, suite.logs, { FEEDBACK: 'false' });
    const answer = await ask(FOIL_QUESTION);
    expect(buttonRows(answer).flat().filter((id) => id.startsWith('vote:'))).toEqual([]);
    expect(await vote(foilAnswer, 'down', suite.emulator.createUser('late-voter'))).toMatch(/turned off/);
    const off = await gaps();
    expect(off.content).toMatch(/Feedback is turned off/);
  });
});
