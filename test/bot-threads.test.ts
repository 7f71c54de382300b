import { GatewayIntentBits, PermissionFlagsBits, type APIMessage } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordEmulator } from './discord-emulator/emulator.js';
import { BOT_PERMISSIONS, DEFAULT_MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS } from './discord-emulator/payloads.js';
import {
  LogCollector,
  citedSources,
  expectOrderlyTraffic,
  isEphemeral,
  openEngine,
  registerCommands,
  setUpBotSuite,
  startBot,
  startEmulator,
  stopBotSuite,
  type RunningBot,
} from './helpers/bot-harness.js';
import { createWorkspace, type Workspace } from './helpers/workspace.js';
import type { CorpusEngine } from '../src/engine/corpus-engine.js';

const FOIL_SOURCE = '000_a3e3ba9c672df76e.txt';
const FOIL_TITLE = 'Did the Secret Service foil an Iranian plot against Trump?';
const FOLLOW_UP = 'How did Beijing respond to the accusations?';
const BEIJING_SOURCE = '001_6eda3b05087c9b46.txt';

function corpusChannels(emulator: DiscordEmulator, subcommand: 'add' | 'remove' | 'list', channelId?: string, memberPermissions = MODERATOR_PERMISSIONS) {
  const options = channelId === undefined ? [] : [{ name: 'channel', type: 7, value: channelId }];
  return emulator.sendSlashCommand({
    name: 'corpus-channels',
    user: emulator.createUser('moderator'),
    memberPermissions,
    options: [{ name: subcommand, type: 1, options }] as never,
  });
}

async function corpusChannelsReply(emulator: DiscordEmulator, subcommand: 'add' | 'remove' | 'list', channelId?: string, memberPermissions?: bigint): Promise<string> {
  const reply = await corpusChannels(emulator, subcommand, channelId, memberPermissions).waitForResponse();
  expect(isEphemeral(reply)).toBe(true);
  return reply.content;
}

/** The bot's messages in a channel or thread, oldest first. */
function botMessages(emulator: DiscordEmulator, channelId: string): APIMessage[] {
  return emulator.channelMessages(channelId).filter((message) => message.author.id === emulator.botUser.id);
}

function replyTo(emulator: DiscordEmulator, message: APIMessage): Promise<APIMessage> {
  return emulator.waitFor(
    () => botMessages(emulator, message.channel_id).find((reply) => reply.message_reference?.message_id === message.id),
    15_000,
    `the bot's reply to ${message.id}`,
  );
}

function firstBotMessage(emulator: DiscordEmulator, channelId: string): Promise<APIMessage> {
  return emulator.waitFor(() => botMessages(emulator, channelId)[0], 15_000, `a bot message in ${channelId}`);
}

function quoted(message: APIMessage): string {
  return message.embeds.map((embed) => embed.description ?? '').join('\n');
}

describe('answers in threads and forum posts', () => {
  const suite = setUpBotSuite();
  let forumId: string;
  let textId: string;

  beforeAll(async () => {
    // Channels made after the bot connected reach it as CHANNEL_CREATE.
    forumId = suite.emulator.createChannel({ name: 'help-forum', kind: 'forum' }).id;
    textId = suite.emulator.createChannel({ name: 'questions', kind: 'text' }).id;
    expect(await corpusChannelsReply(suite.emulator, 'add', forumId)).toMatch(/^Added\. In <#\d+> \(forum\): every new post gets an answer/);
    expect(await corpusChannelsReply(suite.emulator, 'add', textId)).toMatch(/^Added\. In <#\d+> \(text\): `\/ask thread:true` answers in a new thread/);
  });

  it('asks for the Guild Messages and Message Content intents when the portal grants them', () => {
    const intents = suite.emulator.session!.intents;
    expect(intents & GatewayIntentBits.GuildMessages).toBe(GatewayIntentBits.GuildMessages);
    expect(intents & GatewayIntentBits.MessageContent).toBe(GatewayIntentBits.MessageContent);
  });

  it('answers a new post in an opted-in forum in its thread, then its follow-ups, but not talk between people', async () => {
    const poster = suite.emulator.createUser('poster');
    const { thread, delivered } = suite.emulator.createForumPost({ forumId, user: poster, title: FOIL_TITLE, content: 'I read something about July but cannot find it again.' });
    expect(delivered).toBe(true);
    const answer = await firstBotMessage(suite.emulator, thread.id);
    expect(isEphemeral(answer)).toBe(false);
    expect(citedSources(answer)).toContain(FOIL_SOURCE);
    expect(quoted(answer)).toContain('foiled an attempt by Tehran to assassinate the former president');
    expect(answer.mentions).toEqual([]);
    expect(await suite.logs.waitFor({ event: 'interaction', command: 'forum_post', user: poster.id })).toMatchObject({ kind: 'message', where: 'thread', outcome: 'answered' });

    // A message to someone else in the post is people talking; the next question is answered.
    const other = suite.emulator.createUser('helper');
    const { message: chat } = suite.emulator.postChannelMessage({ channelId: thread.id, user: poster, content: `<@${other.id}> thanks, and how did Beijing respond to the accusations?` });
    const { message: followUp, delivered: followUpDelivered } = suite.emulator.postChannelMessage({ channelId: thread.id, user: poster, content: FOLLOW_UP });
    expect(followUpDelivered).toBe(true);
    const second = await replyTo(suite.emulator, followUp);
    expect(citedSources(second)).toContain(BEIJING_SOURCE);
    expect(second.mentions).toEqual([]);
    expect(botMessages(suite.emulator, thread.id).some((message) => message.message_reference?.message_id === chat.id)).toBe(false);
  });

  it('says so in the post when the documents do not answer it', async () => {
    const { thread } = suite.emulator.createForumPost({ forumId, user: suite.emulator.createUser('poster'), title: 'Banana bread', content: 'Does anyone have a good recipe for banana bread?' });
    const answer = await firstBotMessage(suite.emulator, thread.id);
    expect(answer.embeds).toEqual([]);
    expect(answer.content).toMatch(/couldn't find a confident answer/);
  });

  it('leaves alone forums not opted in, and threads it did not answer in', async () => {
    const otherForum = suite.emulator.createChannel({ name: 'off-topic-forum', kind: 'forum' }).id;
    const { thread: ignored } = suite.emulator.createForumPost({ forumId: otherForum, title: FOIL_TITLE, content: 'Anyone?' });
    const { message: plain } = suite.emulator.postChannelMessage({ channelId: textId, content: FOIL_TITLE });
    // Events are handled in order: once the later post is answered, the earlier ones were passed over.
    const { thread: answered } = suite.emulator.createForumPost({ forumId, user: suite.emulator.createUser('poster'), title: FOIL_TITLE, content: 'Again, for the record.' });
    await firstBotMessage(suite.emulator, answered.id);
    expect(botMessages(suite.emulator, ignored.id)).toEqual([]);
    expect(botMessages(suite.emulator, plain.channel_id).filter((message) => message.message_reference?.message_id === plain.id)).toEqual([]);
  });

  it('answers /ask thread:true in a new thread started on the question, and follow-ups there', async () => {
    const asker = suite.emulator.createUser('asker');
    const sent = suite.emulator.sendSlashCommand({ name: 'ask', channelId: textId, user: asker, options: { question: FOIL_TITLE, thread: true } });
    const starter = await sent.waitForResponse((message) => message.content.includes('The answer is in the thread'));
    expect(isEphemeral(starter)).toBe(false);
    expect(starter.content).toContain('Did the Secret Service foil an Iranian plot against Trump?');
    expect(starter.embeds).toEqual([]);
    // The thread takes the starter message's id, its name the question.
    const thread = await suite.emulator.waitFor(() => suite.emulator.channel(starter.id));
    expect(thread).toMatchObject({ type: 11, parent_id: textId, name: FOIL_TITLE });
    expect(suite.emulator.message(starter.id)?.thread?.id).toBe(starter.id);
    const answer = await firstBotMessage(suite.emulator, thread.id);
    expect(citedSources(answer)).toContain(FOIL_SOURCE);
    expect(await suite.logs.waitFor({ event: 'interaction', command: 'ask', user: asker.id })).toMatchObject({ outcome: 'answered_in_thread' });

    const { message: followUp } = suite.emulator.postChannelMessage({ channelId: thread.id, user: asker, content: FOLLOW_UP });
    expect(citedSources(await replyTo(suite.emulator, followUp))).toContain(BEIJING_SOURCE);
  });

  it('refuses /ask thread:true where threads are not on, privately, naming where they are', async () => {
    const here = await suite.emulator.sendSlashCommand({ name: 'ask', user: suite.emulator.createUser('asker'), options: { question: FOIL_TITLE, thread: true } }).waitForResponse();
    expect(isEphemeral(here)).toBe(true);
    expect(here.content).toMatch(/not turned on in this channel.*`\/corpus-channels add`.*They are on in <#\d+>\./);
    expect(here.content).toContain(`<#${textId}>`);

    const both = await suite.emulator.sendSlashCommand({ name: 'ask', user: suite.emulator.createUser('asker'), channelId: textId, options: { question: FOIL_TITLE, thread: true, private: true } }).waitForResponse();
    expect(isEphemeral(both)).toBe(true);
    expect(both.content).toMatch(/private answer cannot go in a thread/);

    const dm = await suite.emulator.sendSlashCommand({ name: 'ask', user: suite.emulator.createUser('asker'), dm: true, options: { question: FOIL_TITLE, thread: true } }).waitForResponse();
    expect(isEphemeral(dm)).toBe(true);
    expect(dm.content).toMatch(/for server channels/);
  });

  it('keeps a "not found" private and starts no thread for it', async () => {
    const before = suite.emulator.requestCount;
    const reply = await suite.emulator.sendSlashCommand({ name: 'ask', user: suite.emulator.createUser('asker'), channelId: textId, options: { question: 'Does anyone have a good recipe for banana bread?', thread: true } }).waitForResponse();
    expect(isEphemeral(reply)).toBe(true);
    expect(reply.content).toMatch(/couldn't find a confident answer/);
    expect(suite.emulator.requests((request) => request.index >= before && /\/threads$/.test(request.path))).toEqual([]);
  });

  it('shows the answer in the channel when Discord refuses the thread, and tells the asker why', async () => {
    suite.emulator.failNextRequest((request) => request.method === 'POST' && /\/threads$/.test(request.path), {
      status: 403,
      code: 50013,
    });
    const sent = suite.emulator.sendSlashCommand({ name: 'ask', user: suite.emulator.createUser('asker'), channelId: textId, options: { question: FOIL_TITLE, thread: true } });
    const answer = await sent.waitForResponse((message) => message.embeds.length > 0);
    expect(isEphemeral(answer)).toBe(false);
    expect(citedSources(answer)).toContain(FOIL_SOURCE);
    const [why] = await suite.emulator.waitFor(() => (suite.emulator.followUps(sent.token).length > 0 ? suite.emulator.followUps(sent.token) : undefined));
    expect(isEphemeral(why)).toBe(true);
    expect(why!.content).toMatch(/Create Public Threads/);
  });

  it('answers follow-up questions only: not thanks, not a reply to someone else; a reply to the bot or to oneself is asked', async () => {
    const asker = suite.emulator.createUser('thanker');
    const starter = await suite.emulator.sendSlashCommand({ name: 'ask', channelId: textId, user: asker, options: { question: FOIL_TITLE, thread: true } }).waitForResponse();
    const answer = await firstBotMessage(suite.emulator, starter.id);
    const other = suite.emulator.createUser('bystander');
    const { message: theirs } = suite.emulator.postChannelMessage({ channelId: starter.id, user: other, content: 'I think it was in July, not June.' });
    const { message: thanks } = suite.emulator.postChannelMessage({ channelId: starter.id, user: asker, content: 'Thanks, that helps!' });
    const { message: toOther } = suite.emulator.postChannelMessage({ channelId: starter.id, user: asker, replyTo: theirs.id, content: 'How did Beijing respond, do you know?' });
    const { message: mine } = suite.emulator.postChannelMessage({ channelId: starter.id, user: asker, content: 'One more thing.' });
    const { message: toSelf } = suite.emulator.postChannelMessage({ channelId: starter.id, user: asker, replyTo: mine.id, content: FOLLOW_UP });
    const { message: toBot } = suite.emulator.postChannelMessage({ channelId: starter.id, user: asker, replyTo: answer.id, content: 'And Beijing, after the accusations' });
    expect(citedSources(await replyTo(suite.emulator, toSelf))).toContain(BEIJING_SOURCE);
    expect(citedSources(await replyTo(suite.emulator, toBot))).toContain(BEIJING_SOURCE);
    const repliedTo = new Set(botMessages(suite.emulator, starter.id).map((message) => message.message_reference?.message_id));
    for (const ignored of [theirs, thanks, toOther, mine]) expect(repliedTo.has(ignored.id)).toBe(false);
  });

  it('refuses /ask thread:true inside a thread, where the answer stays anyway', async () => {
    const starter = await suite.emulator.sendSlashCommand({ name: 'ask', channelId: textId, user: suite.emulator.createUser('asker'), options: { question: FOIL_TITLE, thread: true } }).waitForResponse();
    await firstBotMessage(suite.emulator, starter.id);
    const inside = await suite.emulator.sendSlashCommand({ name: 'ask', channelId: starter.id, user: suite.emulator.createUser('asker'), options: { question: FOLLOW_UP, thread: true } }).waitForResponse();
    expect(isEphemeral(inside)).toBe(true);
    expect(inside.content).toMatch(/This is a thread already/);
  });

  it('shows the answer in the channel when sending into the new thread is refused', async () => {
    suite.emulator.failNextRequest((request) => request.method === 'POST' && /^\/channels\/\d+\/messages$/.test(request.path), { status: 403, code: 50013 });
    const sent = suite.emulator.sendSlashCommand({ name: 'ask', channelId: textId, user: suite.emulator.createUser('asker'), options: { question: FOIL_TITLE, thread: true } });
    const answer = await sent.waitForResponse((message) => message.embeds.length > 0);
    expect(citedSources(answer)).toContain(FOIL_SOURCE);
    const [why] = await suite.emulator.waitFor(() => (suite.emulator.followUps(sent.token).length > 0 ? suite.emulator.followUps(sent.token) : undefined));
    expect(why!.content).toMatch(/Send Messages in Threads/);
    expect(await suite.logs.waitFor({ event: 'thread_failed' })).toMatchObject({ level: 'warn' });
  });

  it('answers in the channel, saying why, when the bot may not post in threads there', async () => {
    const emulator = await startEmulator({ botPermissions: BOT_PERMISSIONS & ~PermissionFlagsBits.SendMessagesInThreads });
    let running: RunningBot | undefined;
    try {
      await registerCommands(emulator);
      running = await startBot(emulator, suite.engine, suite.logs);
      const channelId = emulator.createChannel({ name: 'questions', kind: 'text' }).id;
      await corpusChannelsReply(emulator, 'add', channelId);
      const before = emulator.requestCount;
      const sent = emulator.sendSlashCommand({ name: 'ask', channelId, user: emulator.createUser('asker'), options: { question: FOIL_TITLE, thread: true } });
      const answer = await sent.waitForResponse((message) => message.embeds.length > 0);
      expect(isEphemeral(answer)).toBe(false);
      expect(citedSources(answer)).toContain(FOIL_SOURCE);
      const [why] = await emulator.waitFor(() => (emulator.followUps(sent.token).length > 0 ? emulator.followUps(sent.token) : undefined));
      expect(why!.content).toMatch(/Create Public Threads\*\* and \*\*Send Messages in Threads/);
      // Known from the interaction's app_permissions: no thread is even tried.
      expect(emulator.requests((request) => request.index >= before && /\/threads$/.test(request.path))).toEqual([]);
      expectOrderlyTraffic(emulator);
    } finally {
      await stopBotSuite({ running, emulator });
    }
  });

  it('lists many channels within one message, and forgets a channel that is deleted', async () => {
    const guildId = suite.emulator.guilds[0]!.id;
    const many = Array.from({ length: 80 }, (_, i) => suite.emulator.createChannel({ name: `forum-${i}`, kind: 'forum' }).id);
    for (const id of many) suite.running.context.channels.add(guildId, id, 'forum', suite.emulator.defaultUser.id);
    const list = await corpusChannelsReply(suite.emulator, 'list');
    expect(list.length).toBeLessThanOrEqual(2000);
    expect(list).toMatch(/^I answer in the threads of 8\d channels:/);
    expect(list).toMatch(/• … and \d+ more/);
    for (const id of many) suite.running.context.channels.remove(guildId, id);

    const doomed = suite.emulator.createChannel({ name: 'doomed', kind: 'text' }).id;
    await corpusChannelsReply(suite.emulator, 'add', doomed);
    suite.emulator.deleteChannel(doomed);
    expect(await suite.logs.waitFor({ event: 'corpus_channel_deleted', channel: doomed })).toMatchObject({ guild: guildId });
    expect(await corpusChannelsReply(suite.emulator, 'list')).not.toContain(`<#${doomed}>`);
  });

  it('lets only moderators choose channels', async () => {
    const refused = await corpusChannelsReply(suite.emulator, 'add', suite.emulator.guilds[0]!.textChannelId, DEFAULT_MEMBER_PERMISSIONS);
    expect(refused).toMatch(/needs the \*\*Manage Server\*\* permission/);
    const list = await corpusChannelsReply(suite.emulator, 'list');
    expect(list).not.toContain(`<#${suite.emulator.guilds[0]!.textChannelId}>`);
    expect(list).toContain(`<#${forumId}> (forum)`);
    expect(list).toContain(`<#${textId}> (text)`);
  });

  it('keeps channels and threads across a restart, and stops answering a channel once removed', async () => {
    const { thread } = suite.emulator.createForumPost({ forumId, user: suite.emulator.createUser('poster'), title: FOIL_TITLE, content: 'Before the restart.' });
    await firstBotMessage(suite.emulator, thread.id);
    await suite.running.bot.stop();
    suite.running = await startBot(suite.emulator, suite.engine, suite.logs);

    const { message: followUp } = suite.emulator.postChannelMessage({ channelId: thread.id, user: suite.emulator.createUser('follower'), content: FOLLOW_UP });
    expect(citedSources(await replyTo(suite.emulator, followUp))).toContain(BEIJING_SOURCE);
    const { thread: afterRestart } = suite.emulator.createForumPost({ forumId, user: suite.emulator.createUser('poster'), title: FOIL_TITLE, content: 'After the restart.' });
    await firstBotMessage(suite.emulator, afterRestart.id);

    expect(await corpusChannelsReply(suite.emulator, 'remove', forumId)).toMatch(/^Removed: I no longer answer/);
    expect(await corpusChannelsReply(suite.emulator, 'remove', forumId)).toMatch(/was not added/);
    const { thread: unanswered } = suite.emulator.createForumPost({ forumId, user: suite.emulator.createUser('poster'), title: FOIL_TITLE, content: 'After removal.' });
    const { message: lateFollowUp } = suite.emulator.postChannelMessage({ channelId: thread.id, user: suite.emulator.createUser('follower'), content: FOLLOW_UP });
    // A question in the still opted-in text channel's thread, answered after both were passed over.
    const sent = suite.emulator.sendSlashCommand({ name: 'ask', user: suite.emulator.createUser('asker'), channelId: textId, options: { question: FOIL_TITLE, thread: true } });
    const starter = await sent.waitForResponse();
    await firstBotMessage(suite.emulator, starter.id);
    expect(botMessages(suite.emulator, unanswered.id)).toEqual([]);
    expect(botMessages(suite.emulator, thread.id).some((message) => message.message_reference?.message_id === lateFollowUp.id)).toBe(false);
    expect(await corpusChannelsReply(suite.emulator, 'add', forumId)).toMatch(/^Added/);
  });
});

describe('without the Message Content intent', () => {
  const logs = new LogCollector();
  let emulator: DiscordEmulator;
  let workspace: Workspace;
  let engine: CorpusEngine;
  let running: RunningBot;

  beforeAll(async () => {
    emulator = await startEmulator({ messageContentIntent: false });
    workspace = await createWorkspace();
    engine = await openEngine(workspace);
    await registerCommands(emulator);
    running = await startBot(emulator, engine, logs);
  });
  afterEach(() => expectOrderlyTraffic(emulator));
  afterAll(() => stopBotSuite({ running, emulator, workspace }));

  it('connects without the message intents, says so at start-up, and still answers /ask thread:true', async () => {
    expect(await logs.waitFor({ event: 'message_content_unavailable' })).toMatchObject({ level: 'warn' });
    expect(await logs.waitFor({ event: 'ready' })).toMatchObject({ messageContent: false });
    // Asking for the intent would have closed the gateway with 4014.
    expect(emulator.connections().map((connection) => connection.closeCode)).not.toContain(4014);
    const intents = emulator.session!.intents;
    expect(intents & (GatewayIntentBits.MessageContent | GatewayIntentBits.GuildMessages)).toBe(0);

    const forumId = emulator.createChannel({ name: 'help-forum', kind: 'forum' }).id;
    const textId = emulator.createChannel({ name: 'questions', kind: 'text' }).id;
    expect(await corpusChannelsReply(emulator, 'add', forumId)).toMatch(/without the Message Content intent.*forum posts are not answered/s);
    await corpusChannelsReply(emulator, 'add', textId);
    const { delivered } = emulator.createForumPost({ forumId, title: FOIL_TITLE, content: 'Anyone?' });
    expect(delivered).toBe(false);

    const starter = await emulator.sendSlashCommand({ name: 'ask', channelId: textId, options: { question: FOIL_TITLE, thread: true } }).waitForResponse();
    expect(citedSources(await firstBotMessage(emulator, starter.id))).toContain(FOIL_SOURCE);
  });
});
