import {
  ApplicationFlags,
  ChannelType,
  ForumLayoutType,
  ThreadAutoArchiveDuration,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionContextType,
  Locale,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type {
  APIApplication,
  APIDMChannel,
  APIGuildForumChannel,
  APIThreadChannel,
  ChannelFlags,
  APIGuildMember,
  APIGuildMemberNoUser,
  APIInteractionGuildMember,
  APIRole,
  APITextChannel,
  APIUser,
  GatewayGuildCreateDispatchData,
  GuildMemberFlags,
  RoleFlags,
} from 'discord-api-types/v10';

/** What a plain member gets in a fresh server: enough to read, talk and run commands. */
export const DEFAULT_MEMBER_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands;

/** A moderator: a member who may also manage the server (what the bot's moderators' commands ask). */
export const MODERATOR_PERMISSIONS = DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild;

/** A bot invited with the usual "send messages + embeds" scope, not Administrator. */
export const BOT_PERMISSIONS = DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.SendMessagesInThreads | PermissionFlagsBits.CreatePublicThreads;

// Discord's default for servers without boosts; discord.js reads it as attachmentSizeLimit.
export const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export function makeUser(id: string, username: string, bot: boolean): APIUser {
  return {
    id,
    username,
    discriminator: bot ? '0000' : '0',
    global_name: bot ? null : username,
    avatar: null,
    bot,
  };
}

/**
 * The application as the developer portal leaves it. `messageContent`: the privileged Message
 * Content intent is switched on (the "limited" flag Discord gives bots in fewer than 100 servers).
 */
export function makeApplication(id: string, bot: APIUser, messageContent = true): APIApplication {
  const flags = (messageContent ? ApplicationFlags.GatewayMessageContentLimited : 0) as ApplicationFlags;
  return {
    id,
    name: bot.username,
    icon: null,
    description: '',
    bot_public: false,
    bot_require_code_grant: false,
    bot,
    summary: '',
    verify_key: '0'.repeat(64),
    team: null,
    flags,
    flags_new: String(flags),
  };
}

/** What every channel of a server has, whatever its type. */
function guildChannelFields(id: string, guildId: string, name: string) {
  return {
    id,
    guild_id: guildId,
    name,
    position: 0,
    parent_id: null,
    permission_overwrites: [],
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
  };
}

export function makeTextChannel(id: string, guildId: string, name: string): APITextChannel {
  return { ...guildChannelFields(id, guildId, name), type: ChannelType.GuildText };
}

export function makeForumChannel(id: string, guildId: string, name: string): APIGuildForumChannel {
  return {
    ...guildChannelFields(id, guildId, name),
    type: ChannelType.GuildForum,
    flags: 0 as ChannelFlags,
    available_tags: [],
    default_reaction_emoji: null,
    default_thread_rate_limit_per_user: 0,
    default_sort_order: null,
    default_forum_layout: ForumLayoutType.NotSet,
  } as APIGuildForumChannel;
}

/** A public thread: a forum post (its starter message shares its id) or a thread started from a message. */
export function makeThreadChannel(thread: { id: string; guildId: string; parentId: string; ownerId: string; name: string }): APIThreadChannel {
  const now = new Date().toISOString();
  return {
    id: thread.id,
    type: ChannelType.PublicThread,
    guild_id: thread.guildId,
    parent_id: thread.parentId,
    owner_id: thread.ownerId,
    name: thread.name,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: 0 as ChannelFlags,
    applied_tags: [],
    thread_metadata: { archived: false, auto_archive_duration: ThreadAutoArchiveDuration.OneDay, archive_timestamp: now, locked: false, create_timestamp: now },
  } as APIThreadChannel;
}

export function makeDmChannel(id: string, recipient: APIUser): APIDMChannel {
  return { id, type: ChannelType.DM, name: null, recipients: [recipient], last_message_id: null };
}

export function makeEveryoneRole(guildId: string): APIRole {
  return {
    id: guildId,
    name: '@everyone',
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    position: 0,
    permissions: String(DEFAULT_MEMBER_PERMISSIONS),
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

/** A member as embedded in gateway messages, where the user is the message author. */
export function makeMemberFields(roles: string[], joinedAt: string): APIGuildMemberNoUser {
  return {
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
  };
}

export function makeGuildMember(user: APIUser, roles: string[], joinedAt: string): APIGuildMember {
  return { user, ...makeMemberFields(roles, joinedAt) };
}

export function makeInteractionMember(
  user: APIUser,
  permissions: bigint,
  roles: string[],
  joinedAt: string,
): APIInteractionGuildMember {
  return { ...makeGuildMember(user, roles, joinedAt), permissions: String(permissions) };
}

export interface GuildShape {
  id: string;
  name: string;
  ownerId: string;
  channel: APITextChannel;
  bot: APIUser;
  joinedAt: string;
}

export function makeGuildCreate(guild: GuildShape): GatewayGuildCreateDispatchData {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [makeEveryoneRole(guild.id)],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.channel.id,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    incidents_data: null,
    max_members: 500_000,
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    // Without the privileged GuildMembers intent Discord only includes the bot itself.
    members: [makeGuildMember(guild.bot, [], guild.joinedAt)],
    channels: [guild.channel],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/**
 * For a guild-installed app, Discord reports the guild as the authorizing owner,
 * or "0" when the command runs in the bot's own DM.
 */
export function authorizingOwners(guildId: string | null): { '0': string } {
  return { '0': guildId ?? '0' };
}

export function interactionContext(guildId: string | null): InteractionContextType {
  return guildId === null ? InteractionContextType.BotDM : InteractionContextType.Guild;
}
