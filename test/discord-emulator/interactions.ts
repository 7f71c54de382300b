import { ApplicationCommandOptionType, ApplicationCommandType, ComponentType, InteractionType } from 'discord-api-types/v10';
import type {
  APIApplicationCommand,
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataBasicOption,
  APIApplicationCommandInteractionDataOption,
  APIAttachment,
  APIChatInputApplicationCommandInteraction,
  APIDMChannel,
  APIMessage,
  APIMessageApplicationCommandInteraction,
  APIMessageComponentButtonInteraction,
  APITextChannel,
  APIUser,
  Locale,
} from 'discord-api-types/v10';
import type { EmulatedChannel } from './channel-state.js';
import {
  ATTACHMENT_SIZE_LIMIT,
  authorizingOwners,
  interactionContext,
  makeInteractionMember,
} from './payloads.js';

/** Option values keyed by name, the readable form for tests; types come from the registered command. */
export type OptionValues = Record<string, string | number | boolean>;
export type OptionsInput = OptionValues | APIApplicationCommandInteractionDataOption[];

/** Where an interaction happens and who triggers it. */
export interface InteractionPlace {
  guildId: string | null;
  channel: EmulatedChannel;
  user: APIUser;
  memberPermissions: bigint;
  /** The bot's permissions in the channel (`app_permissions`). */
  appPermissions: bigint;
  roles: string[];
  memberJoinedAt: string;
  locale: Locale;
  guildLocale: Locale;
}

export interface InteractionIdentity {
  id: string;
  token: string;
  applicationId: string;
}

/** The fields every interaction shares; guild and DM interactions differ in member vs user. */
function commonFields(identity: InteractionIdentity, place: InteractionPlace) {
  const common = {
    id: identity.id,
    application_id: identity.applicationId,
    token: identity.token,
    version: 1 as const,
    channel: place.channel,
    channel_id: place.channel.id,
    app_permissions: String(place.appPermissions),
    locale: place.locale,
    entitlements: [],
    authorizing_integration_owners: authorizingOwners(place.guildId),
    context: interactionContext(place.guildId),
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
  if (place.guildId === null) return { ...common, user: place.user };
  return {
    ...common,
    guild_id: place.guildId,
    guild: { id: place.guildId, locale: place.guildLocale, features: [] },
    guild_locale: place.guildLocale,
    member: makeInteractionMember(place.user, place.memberPermissions, place.roles, place.memberJoinedAt),
  };
}

function optionType(value: string | number | boolean, declared: ApplicationCommandOptionType | undefined) {
  if (declared !== undefined) return declared;
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

function toOption(
  name: string,
  value: string | number | boolean,
  declared: ApplicationCommandOptionType | undefined,
  focused: boolean,
): APIApplicationCommandInteractionDataBasicOption {
  const type = optionType(value, declared);
  const focus = focused ? { focused: true } : {};
  switch (type) {
    case ApplicationCommandOptionType.String:
      return { name, type, value: String(value), ...focus };
    // While typing, an autocomplete option holds whatever text the user has entered so far.
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number:
      return focused ? { name, type, value: String(value), focused: true } : { name, type, value: Number(value) };
    case ApplicationCommandOptionType.Boolean:
      return { name, type, value: Boolean(value) };
    default:
      throw new Error(
        `Option "${name}" has type ${type}; pass raw options (with resolved data) for users, channels, roles and attachments`,
      );
  }
}

/** Turns `{ query: 'x' }` into typed interaction options, using the registered definition when there is one. */
export function toInteractionOptions(
  input: OptionsInput | undefined,
  registered: APIApplicationCommand | undefined,
  focused?: string,
): APIApplicationCommandInteractionDataOption[] {
  if (input === undefined) return [];
  if (Array.isArray(input)) return input;
  return Object.entries(input).map(([name, value]) => {
    const declared = registered?.options?.find((option) => option.name === name)?.type;
    return toOption(name, value, declared, name === focused);
  });
}

/** The ids of the channel options (type 7) chosen, however deep in subcommands. */
export function channelOptionIds(options: readonly APIApplicationCommandInteractionDataOption[]): string[] {
  return options.flatMap((option) => {
    if (option.type === ApplicationCommandOptionType.Channel) return [option.value];
    if ('options' in option && Array.isArray(option.options)) return channelOptionIds(option.options as APIApplicationCommandInteractionDataOption[]);
    return [];
  });
}

/** What Discord resolves a chosen channel to: id, name, type and the invoking member's permissions there. */
function partialChannel(channel: EmulatedChannel, permissions: bigint) {
  const thread = 'thread_metadata' in channel ? { thread_metadata: channel.thread_metadata, parent_id: channel.parent_id } : {};
  return { id: channel.id, name: 'name' in channel ? channel.name : null, type: channel.type, permissions: String(permissions), ...thread };
}

/** The command an interaction names: its id and name, and the guild it is registered in, if any. */
function commandFields(command: { id: string; name: string; guildId: string | null }) {
  return { id: command.id, name: command.name, ...(command.guildId === null ? {} : { guild_id: command.guildId }) };
}

export function chatInputInteraction(
  identity: InteractionIdentity,
  place: InteractionPlace,
  command: {
    id: string;
    name: string;
    guildId: string | null;
    options: APIApplicationCommandInteractionDataOption[];
    /** Files attached to attachment options (type 11), which Discord resolves into the payload. */
    attachments?: APIAttachment[];
    /** Channels chosen in channel options (type 7), resolved as Discord does: a partial channel each. */
    channels?: EmulatedChannel[];
  },
): APIChatInputApplicationCommandInteraction {
  const attachments = command.attachments ?? [];
  const channels = command.channels ?? [];
  const resolvedData = {
    ...(attachments.length > 0 ? { attachments: Object.fromEntries(attachments.map((file) => [file.id, file])) } : {}),
    ...(channels.length > 0 ? { channels: Object.fromEntries(channels.map((channel) => [channel.id, partialChannel(channel, place.memberPermissions)])) } : {}),
  };
  const resolved = Object.keys(resolvedData).length > 0 ? { resolved: resolvedData } : {};
  return {
    ...commonFields(identity, place),
    type: InteractionType.ApplicationCommand,
    data: { ...commandFields(command), type: ApplicationCommandType.ChatInput, options: command.options, ...resolved },
  };
}

export function autocompleteInteraction(
  identity: InteractionIdentity,
  place: InteractionPlace,
  command: { id: string; name: string; guildId: string | null; options: APIApplicationCommandInteractionDataOption[] },
): APIApplicationCommandAutocompleteInteraction {
  return {
    ...commonFields(identity, place),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      ...commandFields(command),
      type: ApplicationCommandType.ChatInput,
      options: command.options as APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommandAutocomplete>[],
    },
  };
}

export function buttonInteraction(
  identity: InteractionIdentity,
  place: InteractionPlace,
  customId: string,
  message: APIMessage,
): APIMessageComponentButtonInteraction {
  return {
    ...commonFields(identity, place),
    type: InteractionType.MessageComponent,
    data: { custom_id: customId, component_type: ComponentType.Button },
    message,
  };
}

/** A message command (type 2, command type 3): the user picked the command on `message`, which Discord resolves into the payload. */
export function messageCommandInteraction(
  identity: InteractionIdentity,
  place: InteractionPlace,
  command: { id: string; name: string; guildId: string | null },
  message: APIMessage,
): APIMessageApplicationCommandInteraction {
  return {
    ...commonFields(identity, place),
    type: InteractionType.ApplicationCommand,
    data: { ...commandFields(command), type: ApplicationCommandType.Message, target_id: message.id, resolved: { messages: { [message.id]: message } } },
  };
}
