import {
  ApplicationFlags,
  ApplicationFlagsBitField,
  Client,
  Events,
  GatewayIntentBits,
  IntentsBitField,
  MessageFlags,
  Partials,
  Routes,
  type APIApplication,
  type ButtonInteraction,
  type CommandInteraction,
  type Interaction,
  type Message,
} from 'discord.js';
import { isMessageCommand, type BotCommand, type BotContext, type ButtonHandler, type Command, type MessageCommand, type Outcome } from './bot-context.js';
import { decodeButtonId, type ButtonId } from './custom-ids.js';
import { answerDirectMessage } from './direct-messages.js';
import { REPLY_PINGS_NOBODY } from './render-answer.js';
import type { BotSettings } from './bot-settings.js';
import { discordRequestFailure } from './discord-request-failure.js';
import { firstRefusal } from './preconditions.js';
import { answerInThread, threadQuestionOf, type ThreadQuestion } from './thread-answers.js';

const APOLOGY = 'Sorry — something went wrong while answering. It has been logged; please try again.';
const RESTARTING = 'Corpus Bot is restarting. Please ask again in a minute.';
const NO_MESSAGE_CONTENT =
  'The Message Content intent is not switched on for this bot (Developer Portal → Bot → Privileged Gateway Intents), ' +
  'so it cannot read messages in servers: forum posts and follow-ups in threads are not answered. ' +
  'Slash commands (/ask, also with thread:true), Find sources and direct messages work.';

/** Guild messages are read (forum posts, follow-ups in threads) only with the privileged Message Content intent. */
const MESSAGE_INTENTS = [GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

/** Whether the developer portal grants the Message Content intent (either flag: verified bots get the first). */
async function mayReadMessages(client: Client, settings: BotSettings): Promise<boolean> {
  let application: APIApplication;
  try {
    application = (await client.rest.setToken(settings.token).get(Routes.currentApplication())) as APIApplication;
  } catch (error) {
    throw discordRequestFailure('Reading the application from Discord', error, settings);
  }
  return new ApplicationFlagsBitField(application.flags).any([ApplicationFlags.GatewayMessageContent, ApplicationFlags.GatewayMessageContentLimited]);
}

export interface Bot {
  client: Client;
  /** Logs in; the engine (model and index) must already be loaded so the first answer is fast. */
  start(): Promise<void>;
  /** Stops taking new work, lets replies in flight finish (up to `graceMs`), then disconnects. */
  stop(graceMs?: number): Promise<void>;
}

function describe(interaction: Interaction): { kind: string; command: string } {
  if (interaction.isChatInputCommand()) return { kind: 'command', command: interaction.commandName };
  if (interaction.isMessageContextMenuCommand()) return { kind: 'message_command', command: interaction.commandName };
  if (interaction.isAutocomplete()) return { kind: 'autocomplete', command: interaction.commandName };
  if (interaction.isButton()) return { kind: 'button', command: interaction.customId.split(':')[0] ?? '' };
  return { kind: 'other', command: '' };
}

/** The handler of each button kind, from the command that owns it; two owners of one kind is a mistake. */
function buttonRoutes(commands: readonly Command[]): Map<ButtonId['kind'], ButtonHandler> {
  const routes = new Map<ButtonId['kind'], ButtonHandler>();
  for (const command of commands) {
    for (const [kind, handler] of Object.entries(command.buttons ?? {}) as Array<[ButtonId['kind'], ButtonHandler]>) {
      if (routes.has(kind)) throw new Error(`two commands handle "${kind}" buttons`);
      routes.set(kind, handler);
    }
  }
  return routes;
}

/** Runs a handler once its preconditions pass; a refusal is the private reply it carries. */
async function guarded(
  interaction: CommandInteraction | ButtonInteraction,
  bot: BotContext,
  preconditions: BotCommand['preconditions'],
  run: () => Promise<Outcome>,
): Promise<Outcome> {
  const refusal = firstRefusal(preconditions, bot, interaction.user.id);
  if (!refusal) return run();
  await interaction.reply({ ...refusal.reply.message, flags: MessageFlags.Ephemeral });
  return { outcome: refusal.outcome };
}

export function createBot(bot: BotContext, commands: readonly Command[]): Bot {
  const byName = new Map(commands.flatMap((command) => (isMessageCommand(command) ? [] : [[command.data.name, command] as const])));
  const messageCommands = new Map(commands.flatMap((command) => (isMessageCommand(command) ? [[command.data.name, command] as const] : [])));
  const buttons = buttonRoutes(commands);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages, ...MESSAGE_INTENTS],
    // DM channels are not cached before their first message; without this the message is dropped.
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    rest: bot.settings.apiBase ? { api: bot.settings.apiBase } : {},
  });
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;

  /**
   * Runs a handler with one log line for it, and an apology (not a crash) if it fails. Once the
   * bot is stopping, `decline` runs instead: people are told to ask again, not left without a reply.
   */
  const track = (
    handle: () => Promise<Outcome>,
    context: Record<string, unknown>,
    apologize: () => Promise<unknown>,
    decline: () => Promise<unknown>,
  ) => {
    const declined = async (): Promise<Outcome> => {
      await decline();
      return { outcome: 'declined_stopping' };
    };
    const started = performance.now();
    const task = (stopping ? declined : handle)()
      .then((outcome) => bot.logger.log('info', 'interaction', { ...context, ...outcome, latencyMs: Math.round(performance.now() - started) }))
      .catch(async (error: unknown) => {
        bot.logger.log('error', 'interaction', { ...context, outcome: 'error', latencyMs: Math.round(performance.now() - started), error });
        await apologize().catch((apologyError: unknown) => bot.logger.log('error', 'apology_failed', { ...context, error: apologyError }));
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };

  const onInteraction = (interaction: Interaction) => {
    const context = { ...describe(interaction), where: interaction.inGuild() ? 'guild' : 'dm', user: interaction.user.id };
    const apologize = async () => {
      if (!interaction.isRepliable()) return;
      const apology = { content: APOLOGY, flags: MessageFlags.Ephemeral } as const;
      if (interaction.deferred && !interaction.replied) {
        // A deferred reply shows "thinking…" until it is edited or deleted; a follow-up alone
        // would leave it spinning. A private one can become the apology; a public one is removed
        // so the apology stays private.
        if (interaction.ephemeral) {
          await interaction.editReply({ content: APOLOGY });
          return;
        }
        await interaction.deleteReply();
        await interaction.followUp(apology);
      } else if (interaction.replied) await interaction.followUp(apology);
      else await interaction.reply(apology);
    };
    track(
      async () => {
        if (interaction.isChatInputCommand()) {
          const command = byName.get(interaction.commandName);
          if (!command) throw new Error(`no handler for /${interaction.commandName}`);
          return guarded(interaction, bot, command.preconditions, () => command.execute(interaction, bot));
        }
        if (interaction.isMessageContextMenuCommand()) {
          const command: MessageCommand | undefined = messageCommands.get(interaction.commandName);
          if (!command) throw new Error(`no handler for the message command "${interaction.commandName}"`);
          return guarded(interaction, bot, command.preconditions, () => command.execute(interaction, bot));
        }
        if (interaction.isAutocomplete()) {
          await byName.get(interaction.commandName)?.autocomplete?.(interaction, bot);
          return { outcome: 'suggested' };
        }
        if (interaction.isButton()) {
          const id = decodeButtonId(interaction.customId);
          const handler = id ? buttons.get(id.kind) : undefined;
          if (!id || !handler) {
            await interaction.reply({ content: 'This button is from an older version of the bot, or not one of mine. Please ask again.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
            return { outcome: 'unknown_button' };
          }
          return guarded(interaction, bot, handler.preconditions, () => handler.run(interaction, id, bot));
        }
        return { outcome: 'ignored' };
      },
      context,
      apologize,
      async () => {
        if (interaction.isAutocomplete()) await interaction.respond([]);
        else if (interaction.isRepliable()) await interaction.reply({ content: RESTARTING, flags: MessageFlags.Ephemeral });
      },
    );
  };

  const onMessage = (message: Message) => {
    // Only messages from people: never other bots, never our own replies.
    if (message.author.bot) return;
    const answerIn = (kind: string, where: string, handle: () => Promise<Outcome>) =>
      track(
        handle,
        { kind: 'message', command: kind, where, user: message.author.id },
        () => message.reply({ content: APOLOGY, allowedMentions: REPLY_PINGS_NOBODY }),
        () => message.reply({ content: RESTARTING, allowedMentions: REPLY_PINGS_NOBODY }),
      );
    if (!message.inGuild()) {
      answerIn('dm', 'dm', () => answerDirectMessage(message, bot));
      return;
    }
    let place: ThreadQuestion | null;
    try {
      place = threadQuestionOf(message, bot);
    } catch (error) {
      bot.logger.log('error', 'message_not_classified', { channel: message.channelId, user: message.author.id, error });
      return;
    }
    if (place) answerIn(place.kind, 'thread', () => answerInThread(message, place, bot));
  };

  // A deleted channel cannot be picked in /corpus-channels remove any more: it goes by itself.
  const onChannelDelete = (channel: { id: string; isDMBased(): boolean; guildId?: string | null }) => {
    if (channel.isDMBased() || !channel.guildId) return;
    try {
      if (bot.channels.remove(channel.guildId, channel.id)) bot.logger.log('info', 'corpus_channel_deleted', { guild: channel.guildId, channel: channel.id });
    } catch (error) {
      bot.logger.log('error', 'corpus_channel_not_removed', { guild: channel.guildId, channel: channel.id, error });
    }
  };

  client.on(Events.InteractionCreate, onInteraction);
  client.on(Events.ChannelDelete, onChannelDelete);
  client.on(Events.MessageCreate, onMessage);
  client.on(Events.Error, (error) => bot.logger.log('error', 'client_error', { error }));
  client.on(Events.ShardResume, (shard) => bot.logger.log('info', 'gateway_resumed', { shard }));

  return {
    client,
    async start() {
      bot.messageContent = await mayReadMessages(client, bot.settings);
      if (!bot.messageContent) {
        // Asking for a privileged intent the portal does not grant closes the gateway (4014);
        // without it, guild messages would arrive without their text, so neither is asked for.
        client.options.intents = new IntentsBitField(client.options.intents).remove(MESSAGE_INTENTS).freeze();
        bot.logger.log('warn', 'message_content_unavailable', { message: NO_MESSAGE_CONTENT });
      }
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(bot.settings.token);
      await ready;
      bot.logger.log('info', 'ready', { user: client.user?.tag, guilds: client.guilds.cache.size, messageContent: bot.messageContent, pid: process.pid });
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      const deadline = performance.now() + graceMs;
      // Work that arrives while draining (the "ask again" replies) is waited for too.
      while (inFlight.size > 0 && performance.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...inFlight]),
          new Promise((resolve) => {
            timer = setTimeout(resolve, deadline - performance.now());
          }),
        ]);
        clearTimeout(timer);
      }
      await client.destroy();
      // Not under a handler still running past the grace period: it would fail on a closed
      // database rather than finish; the process's exit closes it (WAL keeps every commit).
      if (inFlight.size === 0) bot.close();
      bot.logger.log('info', 'stopped', { unfinished: inFlight.size });
    },
  };
}
