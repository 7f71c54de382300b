import { InteractionContextType, type APIMessage } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { citedSources, isEphemeral, setUpBotSuite } from './helpers/bot-harness.js';

const FIND_SOURCES = 'Find sources';
/** What someone might post in a channel: a claim the seed articles hold the sources for. */
const CLAIM = 'Apparently the Secret Service foiled some Iranian plot to kill Trump back in July?';
const FOIL_SOURCE = '000_a3e3ba9c672df76e.txt';

const suite = setUpBotSuite();

function findSources(message: APIMessage, user = suite.emulator.createUser('reader')) {
  const sent = suite.emulator.sendMessageCommand({ name: FIND_SOURCES, message, user });
  return { sent, user };
}

describe('"Find sources" on a message (Apps → Find sources)', () => {
  it("answers privately with quotes for someone else's message in a server, pinging nobody", async () => {
    const author = suite.emulator.createUser('poster');
    const { message: posted, delivered } = suite.emulator.postChannelMessage({ user: author, content: `<@${suite.emulator.defaultUser.id}> ${CLAIM}` });
    // The bot sees the message (Guild Messages) but, outside its threads, answers only when asked.
    expect(delivered).toBe(true);

    const { sent, user } = findSources(posted);
    expect(sent.payload).toMatchObject({ context: InteractionContextType.Guild, data: { type: 3, target_id: posted.id } });
    const reply = await sent.waitForResponse();
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.interaction_metadata?.user.id).toBe(user.id);
    expect(citedSources(reply)).toContain(FOIL_SOURCE);
    expect(reply.embeds.map((embed) => embed.description).join('\n')).toContain('foiled an attempt by Tehran to assassinate the former president');
    // The footer says what was searched: the message's text, whitespace folded.
    expect(reply.embeds.at(-1)?.footer?.text).toContain(CLAIM);
    // The message itself is untouched, and nothing was posted in the channel.
    expect(suite.emulator.message(posted.id)).toEqual(posted);
    expect(suite.emulator.channelMessages(posted.channel_id).filter((message) => !isEphemeral(message))).toEqual([posted]);
    expect(await suite.logs.waitFor({ event: 'interaction', user: user.id })).toMatchObject({
      kind: 'message_command',
      command: FIND_SOURCES,
      where: 'guild',
      outcome: 'answered_privately',
    });
  });

  it('works on a message in the bot DM', async () => {
    const user = suite.emulator.createUser('dm-reader');
    const { message } = suite.emulator.sendDirectMessage({ user, content: CLAIM });
    // The bot answers the DM itself; the command on the user's own message answers privately too.
    await suite.emulator.waitFor(() => suite.emulator.channelMessages(message.channel_id).find((reply) => reply.message_reference?.message_id === message.id));
    const { sent } = findSources(message, user);
    expect(sent.payload).toMatchObject({ context: InteractionContextType.BotDM });
    const reply = await sent.waitForResponse();
    expect(isEphemeral(reply)).toBe(true);
    expect(citedSources(reply)).toContain(FOIL_SOURCE);
  });

  it('searches a message longer than a question may be by its opening sentences', async () => {
    const filler = ' The weather was mild and the markets were quiet that week, as they often are in late summer.'.repeat(40);
    const { message } = suite.emulator.postChannelMessage({ content: `${CLAIM}${filler}` });
    expect(message.content.length).toBeGreaterThan(suite.engine.maxQuestionChars);
    const reply = await findSources(message).sent.waitForResponse();
    expect(isEphemeral(reply)).toBe(true);
    expect(citedSources(reply)).toContain(FOIL_SOURCE);
    const footer = reply.embeds.at(-1)!.footer!.text;
    expect(footer).toMatch(/^“Apparently the Secret Service foiled .*late summer\.” · /);
  });

  it('says so, privately, for a message the documents do not answer and for one with no text', async () => {
    const { message: offTopic } = suite.emulator.postChannelMessage({ content: 'Does anyone have a good recipe for banana bread?' });
    const notFound = await findSources(offTopic).sent.waitForResponse();
    expect(isEphemeral(notFound)).toBe(true);
    expect(notFound.embeds).toEqual([]);
    expect(notFound.content).toMatch(/couldn't find a confident answer/);

    const { message: empty } = suite.emulator.postChannelMessage({ content: '' });
    const { sent, user } = findSources(empty);
    const noText = await sent.waitForResponse();
    expect(isEphemeral(noText)).toBe(true);
    expect(noText.content).toMatch(/no text to find sources for/);
    expect(await suite.logs.waitFor({ event: 'interaction', user: user.id })).toMatchObject({ outcome: 'no_text' });
  });
});
