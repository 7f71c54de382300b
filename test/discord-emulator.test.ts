import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  GatewayOpcodes,
  InteractionContextType,
  InteractionResponseType,
  MessageFlags,
  MessageType,
  Partials,
  PermissionFlagsBits,
  REST,
  Routes,
  SlashCommandBuilder,
} from 'discord.js';
import type { ClientEvents } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from './discord-emulator/emulator.js';
import { BOT_PERMISSIONS } from './discord-emulator/payloads.js';

const FAKE_TOKEN = 'not-a-real-token';

async function loginClient(emulator: DiscordEmulator): Promise<Client> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    rest: { api: emulator.apiUrl },
  });
  const ready = once(client, Events.ClientReady);
  await client.login(FAKE_TOKEN);
  await ready;
  return client;
}

/**
 * Runs `handler` on the next event that `accept` admits and settles with it,
 * so a failing assertion inside a Discord handler fails the test that caused it.
 */
function handleNext<K extends keyof ClientEvents>(
  client: Client,
  event: K,
  handler: (...args: ClientEvents[K]) => Promise<void>,
  accept: (...args: ClientEvents[K]) => boolean = () => true,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = (...args: ClientEvents[K]) => {
      if (!accept(...args)) return;
      client.off(event, listener);
      handler(...args).then(resolve, reject);
    };
    client.on(event, listener);
  });
}

const isCallback = (token: string) => (request: { method: string; path: string }) =>
  request.method === 'POST' && request.path.endsWith(`/${token}/callback`);

describe('Discord emulator with a real discord.js client', () => {
  let emulator: DiscordEmulator;
  let client: Client;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 1_000 });
    client = await loginClient(emulator);
  });

  afterEach(() => {
    expect(emulator.unexpectedRequests()).toEqual([]);
  });

  afterAll(async () => {
    await client.destroy();
    await emulator.stop();
  });

  it('logs in over loopback with a fake token', () => {
    const gatewayCall = emulator.requests({ method: 'GET', path: '/gateway/bot' });
    expect(gatewayCall).toHaveLength(1);
    expect(gatewayCall[0]?.authorization).toBe(`Bot ${FAKE_TOKEN}`);
    const [identify] = emulator.gatewayPayloads(GatewayOpcodes.Identify);
    expect(identify?.d).toMatchObject({
      token: FAKE_TOKEN,
      intents: GatewayIntentBits.Guilds | GatewayIntentBits.DirectMessages,
    });
    expect(emulator.connections()[0]?.query).toEqual({ v: '10', encoding: 'json' });
    expect(client.user?.id).toBe(emulator.botUser.id);
    expect(client.application?.id).toBe(emulator.applicationId);
    expect(client.guilds.cache.get(emulator.guilds[0]?.id ?? '')?.name).toBe('Corpus Test Server');
  });

  it('serves the lookups a bot makes after login', async () => {
    const channel = await client.channels.fetch(emulator.guilds[0]?.textChannelId ?? '', { force: true });
    expect(channel?.type).toBe(ChannelType.GuildText);
    const application = await client.application?.fetch();
    expect(application?.id).toBe(emulator.applicationId);
    const user = await client.users.fetch(emulator.defaultUser.id, { force: true });
    expect(user.username).toBe('tester');
  });

  it('registers commands through @discordjs/rest and validates them like Discord', async () => {
    const rest = new REST({ api: emulator.apiUrl }).setToken(FAKE_TOKEN);
    const ask = new SlashCommandBuilder()
      .setName('ask')
      .setDescription('Ask the corpus')
      .addStringOption((option) => option.setName('query').setDescription('Question').setRequired(true).setAutocomplete(true))
      .addIntegerOption((option) => option.setName('limit').setDescription('How many quotes'));
    const stored = (await rest.put(Routes.applicationCommands(emulator.applicationId), { body: [ask.toJSON()] })) as {
      id: string;
      name: string;
    }[];
    expect(stored).toEqual([expect.objectContaining({ name: 'ask', application_id: emulator.applicationId })]);
    expect(emulator.commands()).toEqual(stored);

    const guildId = emulator.guilds[0]?.id ?? '';
    await rest.put(Routes.applicationGuildCommands(emulator.applicationId, guildId), { body: [] });
    expect(emulator.commands(guildId)).toEqual([]);

    const invalid = rest.put(Routes.applicationCommands(emulator.applicationId), {
      body: [{ name: 'Ask Me', description: 'uppercase and a space' }],
    });
    await expect(invalid).rejects.toMatchObject({ code: 50035, status: 400 });
    expect(emulator.commands()).toEqual(stored);

    // A registered command's id and option types flow into the interaction payload.
    const sent = emulator.sendSlashCommand({ name: 'ask', options: { query: 'x', limit: 3 } });
    expect(sent.payload.data).toMatchObject({
      id: stored[0]?.id,
      options: [
        { name: 'query', type: 3, value: 'x' },
        { name: 'limit', type: 4, value: 3 },
      ],
    });
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      expect(interaction.options.getInteger('limit')).toBe(3);
      const response = await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral, withResponse: true });
      expect(response.resource?.message?.content).toBe('ok');
      expect(response.interaction.responseMessageEphemeral).toBe(true);
    });
    await handled;
    expect((await sent.waitForResponse()).flags).toBe(MessageFlags.Ephemeral);
    expect(emulator.requests(isCallback(sent.token))[0]?.query).toEqual({ with_response: 'true' });
  });

  it('delivers a guild slash command and records the reply without pinging anyone', async () => {
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      expect(interaction.inGuild()).toBe(true);
      expect(interaction.user.id).toBe(emulator.defaultUser.id);
      const query = interaction.options.getString('query', true);
      await interaction.reply({ content: `> ${query}\n— doc.md:12`, allowedMentions: { parse: [] } });
    });
    const sent = emulator.sendSlashCommand({ name: 'ask', options: { query: `who is <@${emulator.defaultUser.id}>?` } });
    await handled;

    const callback = await sent.waitForCallback();
    expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const [request] = emulator.requests(isCallback(sent.token));
    expect(request?.query).toEqual({ with_response: 'false' });
    expect(request?.authorization).toBeNull();
    expect(request?.body).toMatchObject({ type: 4, data: { allowed_mentions: { parse: [] } } });

    const reply = await sent.waitForResponse();
    expect(reply.content).toBe(`> who is <@${emulator.defaultUser.id}>?\n— doc.md:12`);
    expect(reply.mentions).toEqual([]);
    expect(reply.type).toBe(MessageType.ChatInputCommand);
    expect(reply.interaction_metadata?.id).toBe(sent.id);
  });

  it('handles deferReply + editReply, then a button click answered with update', async () => {
    const deferred = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.deferReply();
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId('more:1').setLabel('More quotes').setStyle(ButtonStyle.Secondary),
      );
      await interaction.editReply({ content: 'First quote', components: [row] });
    });
    const sent = emulator.sendSlashCommand({ name: 'ask', options: { query: 'climate' } });
    await deferred;
    expect((await sent.waitForCallback()).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const answer = await sent.waitForResponse((message) => message.content === 'First quote');
    expect(emulator.requests({ method: 'PATCH', path: `/webhooks/${emulator.applicationId}/${sent.token}/messages/@original` })).toHaveLength(1);

    const updated = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      expect(interaction.customId).toBe('more:1');
      expect(interaction.message.id).toBe(answer.id);
      await interaction.update({ content: 'Second quote', components: [] });
    });
    const click = emulator.clickButton({ message: answer, customId: 'more:1' });
    await updated;
    expect((await click.waitForCallback()).type).toBe(InteractionResponseType.UpdateMessage);
    expect(emulator.message(answer.id)).toMatchObject({ content: 'Second quote', components: [] });
    expect(() => emulator.clickButton({ message: answer, customId: 'more:1' })).toThrow(/no component/);
  });

  it('answers autocomplete with choices', async () => {
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      const typed = interaction.options.getFocused();
      await interaction.respond([{ name: `${typed}ate change`, value: `${typed}ate change` }]);
    });
    const sent = emulator.sendAutocomplete({ name: 'ask', options: { query: 'clim' }, focused: 'query' });
    await handled;
    expect((await sent.waitForCallback()).type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect(sent.record().autocompleteChoices).toEqual([{ name: 'climate change', value: 'climate change' }]);
  });

  it('runs a slash command in the bot DM with context 1', async () => {
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      expect(interaction.inGuild()).toBe(false);
      expect(interaction.context).toBe(InteractionContextType.BotDM);
      await interaction.reply({ content: 'private answer' });
      expect((await interaction.fetchReply()).content).toBe('private answer');
      await interaction.deleteReply();
    });
    const sent = emulator.sendSlashCommand({ name: 'ask', dm: true, options: { query: 'x' } });
    await handled;
    expect(sent.payload).toMatchObject({ context: 1, user: { id: emulator.defaultUser.id }, channel: { type: 1 } });
    expect(sent.payload).not.toHaveProperty('member');
    const original = `/webhooks/${emulator.applicationId}/${sent.token}/messages/@original`;
    expect(emulator.requests({ path: original }).map((request) => request.method)).toEqual(['GET', 'DELETE']);
    expect(emulator.requests({ path: original })[0]?.rawPath).toBe(`/api/v10${original.replace('@', '%40')}`);
    expect(emulator.interactionResponse(sent.token)).toBeUndefined();
  });

  it('delivers a DM to messageCreate and records the reply and typing', async () => {
    const handled = handleNext(
      client,
      Events.MessageCreate,
      async (message) => {
        expect(message.channel.type).toBe(ChannelType.DM);
        expect(message.content).toBe('hello bot');
        if (!message.channel.isSendable()) throw new Error('DM channel should be sendable');
        await message.channel.sendTyping();
        await message.reply({ content: 'hello human', allowedMentions: { repliedUser: false } });
      },
      (message) => !message.author.bot,
    );
    const { message: incoming, delivered } = emulator.sendDirectMessage({ content: 'hello bot' });
    expect(delivered).toBe(true);
    await handled;

    const channelId = incoming.channel_id;
    await emulator.waitForRequest({ method: 'POST', path: `/channels/${channelId}/typing` }, { since: 0 });
    const replies = emulator.channelMessages(channelId).filter((message) => message.message_reference?.message_id === incoming.id);
    expect(replies).toEqual([
      expect.objectContaining({ content: 'hello human', type: MessageType.Reply, mentions: [] }),
    ]);
    // Discord echoes the bot's own DM back over the gateway; a bot must ignore it.
    expect(emulator.dispatches().some((d) => d.t === 'MESSAGE_CREATE' && (d.d as { id: string }).id === replies[0]?.id)).toBe(true);
  });

  it('opens a DM, uploads a file as multipart, then edits and fetches the message', async () => {
    const reader = emulator.createUser('reader');
    const sent = await client.users.send(reader.id, {
      content: 'Sources attached',
      files: [{ attachment: Buffer.from('doc.md:12-14'), name: 'sources.txt' }],
    });
    const [upload] = emulator.requests({ method: 'POST', path: `/channels/${sent.channelId}/messages` });
    expect(upload?.body).toMatchObject({ content: 'Sources attached' });
    expect(upload?.files.map((file) => [file.filename, file.data.toString()])).toEqual([['sources.txt', 'doc.md:12-14']]);
    expect(emulator.requests({ method: 'POST', path: '/users/@me/channels' })[0]?.body).toEqual({ recipient_id: reader.id });

    await sent.edit({ content: 'Sources attached (edited)' });
    const fetched = await sent.channel.messages.fetch({ message: sent.id, force: true });
    expect(fetched.content).toBe('Sources attached (edited)');
    expect(fetched.attachments.first()?.name).toBe('sources.txt');
    await fetched.delete();
    expect(emulator.message(sent.id)).toBeUndefined();
  });

  it('retries a 429 on the interaction callback and on a follow-up', async () => {
    emulator.failNextRequest((request) => request.path.endsWith('/callback'), { retryAfter: 0.2 });
    emulator.failNextRequest((request) => request.method === 'POST' && request.path.startsWith('/webhooks/'), {
      retryAfter: 0.1,
    });
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({ content: 'first' });
      await interaction.followUp({ content: 'second' });
    });
    const sent = emulator.sendSlashCommand({ name: 'ask', options: { query: 'x' } });
    await handled;

    const attempts = emulator.requests(isCallback(sent.token));
    expect(attempts.map((request) => [request.status, request.injectedFault])).toEqual([
      [429, true],
      [204, false],
    ]);
    const [limited, retried] = attempts;
    expect(limited?.response).toEqual({ message: 'You are being rate limited.', retry_after: 0.2, global: false });
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(190);
    expect((await sent.waitForResponse()).content).toBe('first');
    expect(emulator.followUps(sent.token).map((message) => message.content)).toEqual(['second']);
  });

  it('rejects an oversized reply the way Discord does', async () => {
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      const error = await interaction.reply({ content: 'x'.repeat(2001) }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DiscordAPIError);
      expect(error).toMatchObject({ code: 50035, status: 400 });
      expect(String(error)).toMatch(/content.*2000 or fewer/s);
    });
    emulator.sendSlashCommand({ name: 'ask', options: { query: 'x' } });
    await handled;
  });

  it('answers heartbeats and tracks the sequence the client saw', async () => {
    const since = emulator.gatewayPayloadCount;
    await emulator.waitForGatewayPayload((payload) => payload.op === GatewayOpcodes.Heartbeat, { since, timeoutMs: 3_000 });
    const last = emulator.heartbeats().at(-1);
    expect(last?.sequence).toBe(emulator.dispatches().at(-1)?.s);
    expect((last?.ackedAt ?? Infinity) - (last?.receivedAt ?? 0)).toBeLessThan(50);
  });

  it('resumes after the gateway drops the socket and replays the missed interaction', async () => {
    const since = emulator.gatewayPayloadCount;
    const sessionId = emulator.session?.id;
    emulator.closeConnection();
    // Dispatched while the socket is closing: the client can only get it through RESUME's replay.
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({ content: 'after resume' });
    });
    const sent = emulator.sendSlashCommand({ name: 'ask', options: { query: 'x' } });
    expect(emulator.dispatches().at(-1)).toMatchObject({ t: 'INTERACTION_CREATE', sentLive: false });
    const resume = await emulator.waitForGatewayPayload((payload) => payload.op === GatewayOpcodes.Resume, { since });
    expect(resume.d).toMatchObject({ token: FAKE_TOKEN, session_id: sessionId });
    await handled;
    expect((await sent.waitForResponse()).content).toBe('after resume');
    expect(emulator.session).toMatchObject({ id: sessionId, connected: true });
    expect(emulator.gatewayPayloads(GatewayOpcodes.Identify)).toHaveLength(1);
    expect(emulator.connections().at(-2)).toMatchObject({ closeCode: 4000, closedBy: 'server' });

    const reconnectSince = emulator.gatewayPayloadCount;
    emulator.requestReconnect();
    await emulator.waitForGatewayPayload((payload) => payload.op === GatewayOpcodes.Resume, { since: reconnectSince });
    await emulator.waitFor(() => (emulator.dispatches().at(-1)?.t === 'RESUMED' ? true : undefined));
    const next = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({ content: 'still here' });
    });
    const again = emulator.sendSlashCommand({ name: 'ask', options: { query: 'y' } });
    await next;
    expect((await again.waitForResponse()).content).toBe('still here');
  });

  it('serves a second client after the first is destroyed (a bot restart)', async () => {
    const identifiesBefore = emulator.gatewayPayloads(GatewayOpcodes.Identify).length;
    await client.destroy();
    await emulator.waitFor(() => (emulator.session === null ? true : undefined));
    expect(emulator.connections().at(-1)).toMatchObject({ closeCode: 1000, closedBy: 'client' });
    expect(() => emulator.sendSlashCommand({ name: 'ask', options: { query: 'x' } })).toThrow(/no gateway session/);

    client = await loginClient(emulator);
    expect(emulator.gatewayPayloads(GatewayOpcodes.Identify)).toHaveLength(identifiesBefore + 1);
    const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      await interaction.reply({ content: 'restarted' });
    });
    const sent = emulator.sendSlashCommand({ name: 'ask', options: { query: 'x' } });
    await handled;
    expect((await sent.waitForResponse()).content).toBe('restarted');
  });
});

describe('Discord emulator rules a bot must respect', () => {
  it('drops interactions acknowledged after the deadline, and DMs without the intent', async () => {
    const emulator = await DiscordEmulator.start({ interactionAckDeadlineMs: 100 });
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiUrl } });
    try {
      const ready = once(client, Events.ClientReady);
      await client.login(FAKE_TOKEN);
      await ready;

      const handled = handleNext(client, Events.InteractionCreate, async (interaction) => {
        if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
        await delay(150); // the slow work a bot must defer before doing
        await expect(interaction.reply({ content: 'too late' })).rejects.toMatchObject({ code: 10062, status: 404 });
      });
      const sent = emulator.sendSlashCommand({ name: 'ask' });
      await handled;
      expect(sent.record().callback).toBeNull();

      expect(emulator.sendDirectMessage({ content: 'anyone there?' }).delivered).toBe(false);
      expect(emulator.unexpectedRequests()).toEqual([]);
    } finally {
      await client.destroy();
      await emulator.stop();
    }
  });

  it('answers unknown routes and missing bot auth with Discord-style errors', async () => {
    const emulator = await DiscordEmulator.start();
    try {
      const unknown = await fetch(`${emulator.apiUrl}/v10/guilds/1/bans`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ message: '404: Not Found', code: 0 });
      expect(emulator.unexpectedRequests()).toEqual([expect.objectContaining({ method: 'GET', path: '/guilds/1/bans' })]);

      const anonymous = await fetch(`${emulator.apiUrl}/v10/gateway/bot`);
      expect(anonymous.status).toBe(401);
      expect(emulator.requests({ path: '/gateway/bot' })).toEqual([expect.objectContaining({ status: 401, authorization: null })]);
    } finally {
      await emulator.stop();
    }
  });

  it('refuses privileged intents the portal has not granted with 4014, and hides guild message text without Message Content', async () => {
    const emulator = await DiscordEmulator.start({ messageContentIntent: false });
    const greedy = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent], rest: { api: emulator.apiUrl } });
    const modest = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: emulator.apiUrl } });
    try {
      await expect(greedy.login(FAKE_TOKEN)).rejects.toThrow(/disallowed intents/i);
      expect(await emulator.waitFor(() => emulator.connections().find((connection) => connection.closeCode !== null))).toMatchObject({
        closeCode: 4014,
        closedBy: 'server',
      });

      const ready = once(modest, Events.ClientReady);
      await modest.login(FAKE_TOKEN);
      await ready;
      const seen: { content: string; id: string }[] = [];
      modest.on(Events.MessageCreate, (message) => seen.push({ content: message.content, id: message.id }));
      const hidden = emulator.postChannelMessage({ content: 'a secret everyone else can read' });
      const addressed = emulator.postChannelMessage({ content: `<@${emulator.botUser.id}> this one is for you` });
      while (seen.length < 2) await once(modest, Events.MessageCreate);
      expect(seen).toEqual([
        { id: hidden.message.id, content: '' },
        { id: addressed.message.id, content: `<@${emulator.botUser.id}> this one is for you` },
      ]);
      expect(emulator.unexpectedRequests()).toEqual([]);
    } finally {
      await greedy.destroy();
      await modest.destroy();
      await emulator.stop();
    }
  });

  it('models forum posts and threads: THREAD_CREATE before the starter message, threads on messages once, no messages in a forum', async () => {
    const emulator = await DiscordEmulator.start();
    const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent], rest: { api: emulator.apiUrl } });
    try {
      const ready = once(client, Events.ClientReady);
      await client.login(FAKE_TOKEN);
      await ready;
      const created = once(client, Events.ChannelCreate);
      const forum = emulator.createChannel({ name: 'forum', kind: 'forum' });
      const [announced] = await created;
      expect(announced).toMatchObject({ id: forum.id, type: ChannelType.GuildForum });

      const events: string[] = [];
      client.on(Events.ThreadCreate, (thread, newlyCreated) => events.push(`thread ${thread.id} ${String(newlyCreated)}`));
      client.on(Events.MessageCreate, (message) => events.push(`message ${message.id} in ${message.channelId}`));
      const { thread, message } = emulator.createForumPost({ forumId: forum.id, title: 'How do I reindex?', content: 'It says busy.' });
      expect(message.id).toBe(thread.id);
      await once(client, Events.MessageCreate);
      expect(events).toEqual([`thread ${thread.id} true`, `message ${thread.id} in ${thread.id}`]);
      await expect(client.rest.post(Routes.channelMessages(forum.id), { body: { content: 'hi' } })).rejects.toMatchObject({ code: 50008 });

      const general = client.channels.cache.get(emulator.guilds[0]!.textChannelId);
      if (!general?.isSendable()) throw new Error('expected the text channel');
      const posted = await general.send({ content: 'start a thread here' });
      await expect(posted.startThread({ name: 'x'.repeat(101) })).rejects.toMatchObject({ code: 50035 });
      const started = await posted.startThread({ name: 'Follow-ups' });
      expect(started).toMatchObject({ id: posted.id, parentId: general.id, name: 'Follow-ups' });
      await expect(client.rest.post(Routes.threads(general.id, posted.id), { body: { name: 'again' } })).rejects.toMatchObject({ code: 160004 });
      await started.send({ content: 'inside' });
      expect(emulator.channel(started.id)).toMatchObject({ message_count: 1 });
      expect(emulator.unexpectedRequests()).toEqual([]);
    } finally {
      await client.destroy();
      await emulator.stop();
    }
  });

  it('refuses a thread to a bot without Create Public Threads, and models replies', async () => {
    const emulator = await DiscordEmulator.start({ botPermissions: BOT_PERMISSIONS & ~PermissionFlagsBits.CreatePublicThreads });
    const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent], rest: { api: emulator.apiUrl } });
    try {
      const ready = once(client, Events.ClientReady);
      await client.login(FAKE_TOKEN);
      await ready;
      const general = client.channels.cache.get(emulator.guilds[0]!.textChannelId);
      if (!general?.isSendable()) throw new Error('expected the text channel');
      const posted = await general.send({ content: 'a thread here, please' });
      await expect(posted.startThread({ name: 'Nope' })).rejects.toMatchObject({ code: 50013, status: 403 });

      const forum = emulator.createChannel({ name: 'forum', kind: 'forum' });
      const { thread, message } = emulator.createForumPost({ forumId: forum.id, title: 'Help', content: 'Anyone?' });
      await expect(client.rest.post(Routes.channelMessages(thread.id), { body: { content: 'in the thread' } })).resolves.toMatchObject({ channel_id: thread.id });
      const reply = emulator.postChannelMessage({ channelId: thread.id, replyTo: message.id, content: 'me too' }).message;
      expect(reply).toMatchObject({ type: MessageType.Reply, message_reference: { message_id: message.id }, referenced_message: { id: message.id } });
      expect(reply.mentions.map((user) => user.id)).toEqual([message.author.id]);
      expect(emulator.unexpectedRequests()).toEqual([]);
    } finally {
      await client.destroy();
      await emulator.stop();
    }
  });
});
