import { type APIMessage, type APIUser } from 'discord.js';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS } from './discord-emulator/payloads.js';
import { buttonRows, citedSources, findButton, isEphemeral, responseToClick, setUpBotSuite, startBot } from './helpers/bot-harness.js';

const FOIL_QUESTION = 'What did the Secret Service foil in July?';

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

async function gaps(memberPermissions = MODERATOR_PERMISSIONS): Promise<APIMessage> {
  const reply = await suite.emulator.sendSlashCommand({ name: 'gaps', memberPermissions, user: suite.emulator.createUser('moderator') }).waitForResponse();
  expect(isEphemeral(reply)).toBe(true);
  return reply;
}

/** The lines of a /gaps reply: a numbered one per gap, each followed by the other wordings, if any. */
async function gapLines(): Promise<string[]> {
  const reply = await gaps();
  return (reply.embeds[0]?.description ?? '').split('\n');
}

function voteButtons(message: APIMessage): string[] {
  return buttonRows(message).flat().filter((id) => id.startsWith('vote:'));
}

describe('feedback on answers, and /gaps', () => {
  it('puts 👍/👎 under every answer: one vote per person, which a later click changes', async () => {
    const answer = await ask(FOIL_QUESTION);
    expect(voteButtons(answer)).toEqual([expect.stringMatching(/^vote:\d+:up$/), expect.stringMatching(/^vote:\d+:down$/)]);

    const reader = suite.emulator.createUser('reader');
    expect(await vote(answer, 'down', reader)).toMatch(/your 👎 is recorded/);
    expect(await vote(answer, 'up', reader)).toMatch(/now 👍/);
    expect(await vote(answer, 'up', reader)).toMatch(/already voted 👍/);
    expect(await vote(answer, 'down', reader)).toMatch(/now 👎/);
    await suite.logs.waitForInteractions({ command: 'vote', user: reader.id }, 4);
    const outcomes = suite.logs.interactions({ command: 'vote', user: reader.id }).map((line) => line.outcome);
    expect(outcomes).toEqual(['vote_recorded', 'vote_changed', 'vote_unchanged', 'vote_changed']);
  });

  it("shows moderators their server's declined and voted-down questions, alike wordings grouped, most asked first", async () => {
    // Three wordings of one question the seed articles cannot answer (they never mention the NSA).
    const nsa = ['What did the NSA report about Iranian hackers?', 'what did the NSA report about iranian hackers', 'What did the NSA report about the Iranian hackers?'];
    for (const question of nsa) expect((await ask(question)).embeds).toEqual([]);
    expect((await ask('How do I bake banana bread?')).embeds).toEqual([]);
    // An answer two people voted down, one of them twice (counted once).
    const newspapers = await ask('Which newspapers received the leaked documents?');
    for (const user of [suite.emulator.createUser('critic'), suite.emulator.createUser('critic')]) await vote(newspapers, 'down', user);
    // Not this server's: a question asked in a DM, and a message someone asked sources for.
    await ask('What did the Mossad say about Iran?', { dm: true });
    const { message: posted } = suite.emulator.postChannelMessage({ content: 'Sarah from accounts thinks the Mossad ran the whole hack' });
    expect((await suite.emulator.sendMessageCommand({ name: 'Find sources', message: posted }).waitForResponse()).embeds).toEqual([]);

    const refused = await gaps(DEFAULT_MEMBER_PERMISSIONS);
    expect(refused.embeds).toEqual([]);
    expect(refused.content).toMatch(/needs the \*\*Manage Server\*\* permission/);

    const lines = await gapLines();
    // One line for the three wordings: one of them heads it, the other two are listed under it.
    expect(lines[0]).toMatch(/^1\. \*\*3×\*\* “[Ww]hat did the NSA report about [^”]+” — not found 3×/);
    const all = lines.join('\n');
    for (const wording of nsa) expect(all).toContain(`“${wording}”`);
    expect(all).toMatch(/\*\*1×\*\* “How do I bake banana bread\?” — not found 1×/);
    expect(all).toMatch(/\*\*1×\*\* “Which newspapers received the leaked documents\?” — 👎 2/);
    expect(all).not.toMatch(/Mossad|Sarah/);
  });

  it('keeps answers, votes and gaps across a restart, and forgets those past the retention', async () => {
    const answer = await ask(FOIL_QUESTION);
    await ask('What did the Kremlin spokesman Peskov say about Harris?');
    // An answer from 31 days ago, as a bot that ran back then would have left it.
    const file = new Database(suite.running.settings.databasePath);
    const old = file
      .prepare("INSERT INTO answers (question, results, index_version, answered, guild_id, created_at) VALUES ('an old question', 3, 'v0', 0, ?, ?)")
      .run(suite.emulator.guilds[0]!.id, Date.now() - 31 * 86_400_000).lastInsertRowid;
    await suite.running.bot.stop();
    suite.running = await startBot(suite.emulator, suite.engine, suite.logs);
    expect(file.prepare('SELECT COUNT(*) AS n FROM answers WHERE id = ?').get(old)).toEqual({ n: 0 });
    file.close();
    expect((await gapLines()).join('\n')).toContain('Peskov');
    // The answer's buttons, from before the restart, still vote and page.
    expect(await vote(answer, 'up', suite.emulator.createUser('after-restart'))).toMatch(/your 👍 is recorded/);
  });

  it('still answers when the database fails, without the buttons that need it', async () => {
    suite.running.context.close(); // the database goes away under the running bot
    const answer = await ask(FOIL_QUESTION);
    expect(citedSources(answer)).toContain('000_a3e3ba9c672df76e.txt');
    expect(buttonRows(answer).flat().every((id) => id.startsWith('passage:'))).toBe(true);
    expect(await suite.logs.waitFor({ event: 'answer_not_recorded' })).toMatchObject({ level: 'error' });
    await suite.running.bot.stop();
    suite.running = await startBot(suite.emulator, suite.engine, suite.logs);
  });

  it('with FEEDBACK=false records no declines and offers no votes', async () => {
    const earlier = await ask(FOIL_QUESTION);
    await suite.running.bot.stop();
    suite.running = await startBot(suite.emulator, suite.engine, suite.logs, { FEEDBACK: 'false' });
    expect(voteButtons(await ask(FOIL_QUESTION))).toEqual([]);
    expect(await vote(earlier, 'down', suite.emulator.createUser('late-voter'))).toMatch(/turned off/);
    expect((await gaps()).content).toMatch(/Feedback is turned off/);
  });
});
