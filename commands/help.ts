import { ApplicationIntegrationType, EmbedBuilder, InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from '../src/discord/bot-context.js';

export const data = new SlashCommandBuilder()
  .setName('help')
  .setDescription('What this bot does and how to ask it well')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall);

/** What threads get, which depends on whether the bot may read messages (the Message Content intent). */
const THREADS = {
  reading:
    '**Threads:** in forums the moderators chose, every new post gets an answer in its thread; in the text channels they chose, `/ask … thread:true` answers in a new thread. Follow-up questions in those threads are answered without a command.',
  commandsOnly: '**Threads:** in the text channels the moderators chose, `/ask … thread:true` answers in a new thread.',
};

const help = (threads: string) => [
  'I answer questions about a fixed set of documents by **quoting them**: every answer is an extract, word for word, with the document, paragraph and lines it comes from. I never write an answer of my own, so you can check everything I say.',
  '',
  '**Ask:** `/ask question: …` — add `results` for more extracts, `source` to search one document, `private` to see the answer alone. In a direct message you can also just type your question.',
  '**Ask well:** use the names, places, groups and dates the documents would use (“What did the Justice Department detail?”) rather than a general topic. One question at a time.',
  threads,
  '**Find sources:** on any message, right-click (or long-press) → Apps → Find sources: extracts for what the message says, shown only to you.',
  '**Buttons:** “Full passage” shows the whole paragraph around an extract; “More results” shows the next extracts; 👍/👎 tell the moderators how well the documents answered.',
  '**Moderators:** `/documents add` adds a document (text, Markdown, a web page, a PDF or a Word file), `/documents remove` takes one out, `/reindex` re-reads the folder, `/gaps` shows what people asked that the documents did not answer, `/corpus-channels` chooses the forums and channels answered in threads.',
  '**Sources:** `/sources` lists the documents I know. If nothing answers your question confidently, I say so rather than guess.',
].join('\n');

export const execute: BotCommand['execute'] = async (interaction, bot) => {
  await interaction.reply({
    embeds: [new EmbedBuilder().setTitle('Corpus Bot').setDescription(help(bot.messageContent ? THREADS.reading : THREADS.commandsOnly)).toJSON()],
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
  return { outcome: 'shown' };
};
