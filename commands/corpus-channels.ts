import {
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  channelMention,
} from 'discord.js';
import type { CorpusChannel, CorpusChannelKind } from '../src/feedback/corpus-channels.js';
import type { BotCommand, BotContext } from '../src/discord/bot-context.js';
import { LIMITS } from '../src/discord/discord-limits.js';
import { moderatorRefusal } from '../src/discord/moderators.js';
import { NO_MENTIONS } from '../src/discord/render-answer.js';

/** The channels that can be opted in: forums (their posts) and text channels (`/ask thread:true`). */
const OPT_IN_TYPES = [ChannelType.GuildText, ChannelType.GuildForum] as const;

export const data = new SlashCommandBuilder()
  .setName('corpus-channels')
  .setDescription('Channels where the bot answers in threads: forum posts, /ask thread:true (moderators)')
  .addSubcommand((add) =>
    add
      .setName('add')
      .setDescription('Answer new posts in a forum, or allow /ask thread:true in a text channel')
      .addChannelOption((option) => option.setName('channel').setDescription('A forum or text channel').setRequired(true).addChannelTypes(...OPT_IN_TYPES)),
  )
  .addSubcommand((remove) =>
    remove
      .setName('remove')
      .setDescription('Stop answering in a channel’s threads')
      .addChannelOption((option) => option.setName('channel').setDescription('A channel added before').setRequired(true).addChannelTypes(...OPT_IN_TYPES)),
  )
  .addSubcommand((list) => list.setName('list').setDescription('The channels where the bot answers in threads'))
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);

const WHAT_HAPPENS: Record<CorpusChannelKind, string> = {
  forum: 'every new post gets an answer from the documents in its thread, and follow-ups in the post are answered too',
  text: '`/ask thread:true` answers in a new thread, and follow-ups in that thread are answered too',
};

/** Said wherever it matters, so a moderator is not left wondering why posts go unanswered. */
function messageContentNote(bot: BotContext, kinds: readonly CorpusChannelKind[]): string {
  if (bot.messageContent || kinds.length === 0) return '';
  return (
    '\n⚠️ This bot runs without the Message Content intent, so it cannot read posts or follow-ups: ' +
    (kinds.includes('forum') ? 'forum posts are not answered, and ' : '') +
    'only `/ask thread:true` works until its owner switches the intent on (Developer Portal → Bot) and restarts it.'
  );
}

function describeChannel({ channelId, kind }: Pick<CorpusChannel, 'channelId' | 'kind'>): string {
  return `${channelMention(channelId)} (${kind}): ${WHAT_HAPPENS[kind]}.`;
}

/** The opted-in channels, what each kind gets said once, within a message's length however many there are. */
function listing(channels: readonly CorpusChannel[], bot: BotContext): string {
  const kinds = (['forum', 'text'] as const).filter((kind) => channels.some((channel) => channel.kind === kind));
  const footer = `\n${kinds.map((kind) => `${kind === 'forum' ? 'Forums' : 'Text channels'}: ${WHAT_HAPPENS[kind]}.`).join('\n')}${messageContentNote(bot, kinds)}`;
  const lines: string[] = [];
  let length = footer.length;
  for (const [i, channel] of channels.entries()) {
    const line = `• ${channelMention(channel.channelId)} (${channel.kind})`;
    const more = `• … and ${channels.length - i} more`;
    if (length + line.length + more.length + 2 > LIMITS.content - 40) {
      lines.push(more);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return `I answer in the threads of ${channels.length === 1 ? 'one channel' : `${channels.length} channels`}:\n${lines.join('\n')}${footer}`;
}

export const execute: BotCommand['execute'] = async (interaction, bot) => {
  const reply = (content: string) => interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  const refusal = moderatorRefusal(interaction, bot, 'Choosing the channels I answer in', 'corpus-channels');
  if (refusal !== null || !interaction.inGuild()) {
    await reply(refusal ?? '`/corpus-channels` works in servers only.');
    return { outcome: 'refused' };
  }
  const subcommand = interaction.options.getSubcommand(true);
  if (subcommand === 'list') {
    const channels = bot.channels.list(interaction.guildId);
    await reply(channels.length === 0 ? 'I answer in no channel’s threads yet. Add a forum or text channel with `/corpus-channels add`.' : listing(channels, bot));
    return { outcome: 'listed' };
  }
  const channel = interaction.options.getChannel('channel', true, OPT_IN_TYPES);
  if (subcommand === 'add') {
    const kind: CorpusChannelKind = channel.type === ChannelType.GuildForum ? 'forum' : 'text';
    const added = bot.channels.add(interaction.guildId, channel.id, kind, interaction.user.id);
    const said = added ? `Added. In ${describeChannel({ channelId: channel.id, kind })}` : `${channelMention(channel.id)} was already added: ${WHAT_HAPPENS[kind]}.`;
    await reply(`${said}${messageContentNote(bot, [kind])}`);
    return { outcome: added ? 'added' : 'already_added' };
  }
  const removed = bot.channels.remove(interaction.guildId, channel.id);
  await reply(
    removed
      ? `Removed: I no longer answer posts or follow-ups in ${channelMention(channel.id)}’s threads.`
      : `${channelMention(channel.id)} was not added, so there is nothing to remove. \`/corpus-channels list\` shows the channels I answer in.`,
  );
  return { outcome: removed ? 'removed' : 'not_added' };
};
