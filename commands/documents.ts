import {
  ApplicationIntegrationType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import path from 'node:path';
import { addDocument, checkedDocumentName, isRemovableName, removeDocument } from '../src/corpus/document-files.js';
import { serverFolder } from '../src/corpus/document-scope.js';
import { CORPUS_FILE_TYPES } from '../src/corpus/formats/formats.js';
import { DocumentRejectedError } from '../src/errors.js';
import type { BotCommand, BotContext, Outcome } from '../src/discord/bot-context.js';
import { documentChoices } from '../src/discord/document-choices.js';
import { escapeForDiscord } from '../src/discord/escape.js';
import { moderatorRefusal } from '../src/discord/moderators.js';
import { reindexWithProgress } from '../src/discord/reindex-with-progress.js';
import { NO_MENTIONS } from '../src/discord/render-answer.js';

export const data = new SlashCommandBuilder()
  .setName('documents')
  .setDescription('Add or remove a document of the corpus (moderators)')
  .addSubcommand((add) =>
    add
      .setName('add')
      .setDescription('Add a document to the corpus and re-index')
      .addAttachmentOption((option) => option.setName('file').setDescription(`The document (${CORPUS_FILE_TYPES})`).setRequired(true))
      .addBooleanOption((option) => option.setName('replace').setDescription('Replace a document of the same name')),
  )
  .addSubcommand((remove) =>
    remove
      .setName('remove')
      .setDescription('Remove a document from the corpus and re-index')
      .addStringOption((option) => option.setName('name').setDescription('The document').setRequired(true).setAutocomplete(true)),
  )
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);

// Long enough for MAX_FILE_BYTES over a slow link; an interaction token lasts 15 minutes.
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** Reads an attachment from Discord's CDN, refusing to read past `maxBytes` whatever its size claims. */
async function download(url: string, maxBytes: number): Promise<Buffer> {
  const unavailable = (why: string) => new DocumentRejectedError(`The file could not be downloaded from Discord (${why}); try attaching it again.`);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    throw unavailable(error instanceof Error ? error.message : String(error));
  }
  if (!response.ok || !response.body) throw unavailable(`HTTP ${response.status}`);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > maxBytes) throw new DocumentRejectedError(`The file is larger than ${maxBytes} bytes (MAX_FILE_BYTES).`);
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (error instanceof DocumentRejectedError) throw error;
    throw unavailable(error instanceof Error ? error.message : String(error));
  }
  return Buffer.concat(chunks);
}

/** Runs a change to the corpus folder, then a re-index headed by what changed; a refused change touches nothing. */
async function changeThenReindex(
  interaction: ChatInputCommandInteraction,
  bot: BotContext,
  change: () => Promise<string>,
): Promise<Outcome> {
  // The download and checks can outlast Discord's 3 seconds; the reply is private throughout.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  let heading: string;
  try {
    heading = await change();
  } catch (error) {
    if (!(error instanceof DocumentRejectedError)) throw error;
    await interaction.editReply({ content: `${escapeForDiscord(error.message)} Nothing was changed.`, allowedMentions: NO_MENTIONS });
    return { outcome: 'rejected' };
  }
  return reindexWithProgress(interaction, bot, `${heading}\n`);
}

export const execute: BotCommand['execute'] = async (interaction, bot) => {
  const refused = moderatorRefusal(interaction, bot, 'Changing the documents', 'documents');
  const busy = bot.engine.isReindexing || bot.changingDocuments;
  if (refused !== null || busy) {
    await interaction.reply({
      content: refused ?? 'The documents are being changed or re-indexed; try again when that is done.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return { outcome: refused !== null ? 'refused' : 'already_running' };
  }
  // Taken before the first await, so nothing can start between the check and the change.
  bot.changingDocuments = true;
  try {
    return await changeDocuments(interaction, bot);
  } finally {
    bot.changingDocuments = false;
  }
};

/**
 * The folder (relative to the corpus folder) /documents changes here: with SERVER_DOCUMENTS, a
 * server's own (its documents answer its questions only); otherwise, and in DMs, the shared top.
 */
function folderHere(interaction: ChatInputCommandInteraction | AutocompleteInteraction, bot: BotContext): string {
  return bot.settings.serverDocuments && interaction.guildId !== null ? serverFolder(interaction.guildId) : '';
}

/** A document's file name within `folder`, or null when it is not a file at the top of that folder. */
function nameWithin(folder: string, source: string): string | null {
  const name = folder === '' ? source : source.startsWith(`${folder}/`) ? source.slice(folder.length + 1) : null;
  return name !== null && isRemovableName(name) ? name : null;
}

async function changeDocuments(interaction: ChatInputCommandInteraction, bot: BotContext): Promise<Outcome> {
  const { maxFileBytes } = bot.engine.corpus;
  const folder = folderHere(interaction, bot);
  const dir = path.join(bot.engine.corpus.dir, folder);
  if (interaction.options.getSubcommand() === 'add') {
    const file = interaction.options.getAttachment('file', true);
    const replace = interaction.options.getBoolean('replace') ?? false;
    return changeThenReindex(interaction, bot, async () => {
      // The name and the size Discord reports are checked before anything is downloaded.
      checkedDocumentName(file.name);
      if (file.size > maxFileBytes) throw new DocumentRejectedError(`“${file.name}” is ${file.size} bytes; documents can be at most ${maxFileBytes} (MAX_FILE_BYTES).`);
      const done = await addDocument(dir, file.name, await download(file.url, maxFileBytes), { replace, maxFileBytes });
      return `${done === 'added' ? 'Added' : 'Replaced'} \`${file.name.replace(/`/g, 'ˋ')}\`.`;
    });
  }
  const name = interaction.options.getString('name', true);
  return changeThenReindex(interaction, bot, async () => {
    // Another server's documents, or the shared ones in a server with its own, are not removable here.
    await removeDocument(dir, nameWithin(folder, name) ?? name);
    return `Removed \`${name.replace(/`/g, 'ˋ')}\`.`;
  });
}

/** Suggests the indexed documents whose file name or title contains what has been typed. */
export const autocomplete: NonNullable<BotCommand['autocomplete']> = async (interaction, bot) => {
  // Only files at the top of the corpus folder: the ones /documents added, and may remove.
  const folder = folderHere(interaction, bot);
  const choices = documentChoices(bot.engine.sources(interaction.guildId), interaction.options.getFocused(), {
    label: (info) => `${info.source} — ${info.title}`,
    include: (info) => nameWithin(folder, info.source) !== null,
  });
  await interaction.respond(choices);
};
