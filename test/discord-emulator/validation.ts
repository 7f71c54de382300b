import { ButtonStyle, ComponentType, MessageFlags } from 'discord-api-types/v10';
import type {
  APIAllowedMentions,
  APIApplicationCommandOptionChoice,
  APIEmbed,
  APIMessageTopLevelComponent,
} from 'discord-api-types/v10';
import { DiscordApiError, FormErrors, apiErrors } from './api-error.js';

/**
 * Discord rejects oversized or malformed messages with 400 Invalid Form Body.
 * Enforcing the same limits here makes a test fail the way production would,
 * instead of passing with a reply no user could ever see.
 */
const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthor: 256,
  embedTotal: 6000,
  actionRows: 5,
  rowComponents: 5,
  customId: 100,
  buttonLabel: 80,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  threadName: 100,
} as const;

export interface MessageReferenceBody {
  message_id: string;
  channel_id?: string;
  fail_if_not_exists?: boolean;
}

/** The part of a create/edit message body the emulator models. */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  tts?: boolean;
  allowed_mentions?: APIAllowedMentions;
  message_reference?: MessageReferenceBody;
  /** On edits, which existing attachments survive (by id); new uploads are added. */
  attachments?: { id: string | number }[];
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(raw: unknown): JsonObject {
  if (!isObject(raw)) throw new DiscordApiError(400, 50109, 'The request body contains invalid JSON.');
  return raw;
}

function optionalString(body: JsonObject, key: string, errors: FormErrors): string | undefined {
  const value = body[key];
  // discord.js sends `content: null` to clear content on edits.
  if (value === undefined || value === null) return value === null ? '' : undefined;
  if (typeof value === 'string') return value;
  errors.add([key], 'BASE_TYPE_STRING', 'Must be a string.');
  return undefined;
}

function optionalArray(body: JsonObject, key: string, errors: FormErrors): JsonObject[] | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (value === null) return [];
  if (Array.isArray(value) && value.every(isObject)) return value;
  errors.add([key], 'BASE_TYPE_LIST', 'Must be a list of objects.');
  return undefined;
}

function embedText(embed: JsonObject, key: string): string | undefined {
  const value = embed[key];
  return typeof value === 'string' ? value : undefined;
}

function nestedText(embed: JsonObject, key: string, field: string): string | undefined {
  const value = embed[key];
  return isObject(value) ? embedText(value, field) : undefined;
}

function validateEmbeds(embeds: JsonObject[], errors: FormErrors): void {
  errors.maxLength(['embeds'], embeds, LIMITS.embeds);
  let total = 0;
  embeds.forEach((embed, index) => {
    const title = embedText(embed, 'title');
    const description = embedText(embed, 'description');
    const footer = nestedText(embed, 'footer', 'text');
    const author = nestedText(embed, 'author', 'name');
    errors.maxLength(['embeds', index, 'title'], title, LIMITS.embedTitle);
    errors.maxLength(['embeds', index, 'description'], description, LIMITS.embedDescription);
    errors.maxLength(['embeds', index, 'footer', 'text'], footer, LIMITS.embedFooter);
    errors.maxLength(['embeds', index, 'author', 'name'], author, LIMITS.embedAuthor);
    total += (title?.length ?? 0) + (description?.length ?? 0) + (footer?.length ?? 0) + (author?.length ?? 0);
    const fields = Array.isArray(embed.fields) ? embed.fields.filter(isObject) : [];
    errors.maxLength(['embeds', index, 'fields'], fields, LIMITS.embedFields);
    fields.forEach((field, fieldIndex) => {
      const name = embedText(field, 'name');
      const value = embedText(field, 'value');
      const path = ['embeds', index, 'fields', fieldIndex];
      if (!name) errors.add([...path, 'name'], 'BASE_TYPE_REQUIRED', 'This field is required');
      if (!value) errors.add([...path, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
      errors.maxLength([...path, 'name'], name, LIMITS.embedFieldName);
      errors.maxLength([...path, 'value'], value, LIMITS.embedFieldValue);
      total += (name?.length ?? 0) + (value?.length ?? 0);
    });
  });
  if (total > LIMITS.embedTotal) {
    errors.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${LIMITS.embedTotal}`);
  }
}

function validateButton(button: JsonObject, path: (string | number)[], seenIds: Set<string>, errors: FormErrors): void {
  const label = embedText(button, 'label');
  errors.maxLength([...path, 'label'], label, LIMITS.buttonLabel);
  if (button.style === ButtonStyle.Link) {
    if (typeof button.url !== 'string') errors.add([...path, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  if (button.style === ButtonStyle.Premium) return;
  // A button shows a label, an emoji or both; one with neither is refused.
  if (!label && !isObject(button.emoji)) errors.add([...path, 'label'], 'BASE_TYPE_REQUIRED', 'A button needs a label or an emoji');
  const customId = embedText(button, 'custom_id');
  if (!customId) {
    errors.add([...path, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return;
  }
  errors.maxLength([...path, 'custom_id'], customId, LIMITS.customId);
  if (seenIds.has(customId)) {
    errors.add([...path, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
  }
  seenIds.add(customId);
}

/** Checks the classic action-row layout; Components V2 layouts are passed through. */
function validateComponents(rows: JsonObject[], flags: number, errors: FormErrors): void {
  if ((flags & MessageFlags.IsComponentsV2) !== 0) return;
  errors.maxLength(['components'], rows, LIMITS.actionRows);
  const seenIds = new Set<string>();
  rows.forEach((row, rowIndex) => {
    if (row.type !== ComponentType.ActionRow) {
      errors.add(['components', rowIndex, 'type'], 'UNION_TYPE_CHOICES', 'Value must be an action row (type 1).');
      return;
    }
    const children = Array.isArray(row.components) ? row.components.filter(isObject) : [];
    errors.maxLength(['components', rowIndex, 'components'], children, LIMITS.rowComponents);
    children.forEach((child, childIndex) => {
      const path = ['components', rowIndex, 'components', childIndex];
      if (child.type === ComponentType.Button) validateButton(child, path, seenIds, errors);
      else errors.maxLength([...path, 'custom_id'], embedText(child, 'custom_id'), LIMITS.customId);
    });
  });
}

/** Validates a message body the way Discord does for creates and edits, typed for the store. */
export function parseMessageBody(raw: unknown, mode: { create: boolean; hasFiles: boolean }): MessageBody {
  const body = requireObject(raw);
  const errors = new FormErrors();
  const content = optionalString(body, 'content', errors);
  errors.maxLength(['content'], content, LIMITS.content);
  const embeds = optionalArray(body, 'embeds', errors);
  if (embeds) validateEmbeds(embeds, errors);
  const flags = typeof body.flags === 'number' ? body.flags : undefined;
  const components = optionalArray(body, 'components', errors);
  if (components) validateComponents(components, flags ?? 0, errors);
  errors.throwIfAny();

  const hasVisiblePart = Boolean(content) || Boolean(embeds?.length) || Boolean(components?.length) || mode.hasFiles;
  if (mode.create && !hasVisiblePart && body.poll === undefined && body.sticker_ids === undefined) {
    throw apiErrors.emptyMessage();
  }

  const parsed: MessageBody = {};
  if (content !== undefined) parsed.content = content;
  if (embeds) parsed.embeds = embeds as unknown as APIEmbed[];
  if (components) parsed.components = components as unknown as APIMessageTopLevelComponent[];
  if (flags !== undefined) parsed.flags = flags;
  if (typeof body.tts === 'boolean') parsed.tts = body.tts;
  if (isObject(body.allowed_mentions)) parsed.allowed_mentions = body.allowed_mentions as APIAllowedMentions;
  if (isObject(body.message_reference) && typeof body.message_reference.message_id === 'string') {
    parsed.message_reference = body.message_reference as unknown as MessageReferenceBody;
  }
  if (Array.isArray(body.attachments)) {
    parsed.attachments = body.attachments.filter(isObject).flatMap((item) =>
      typeof item.id === 'string' || typeof item.id === 'number' ? [{ id: item.id }] : [],
    );
  }
  return parsed;
}

/** Start Thread from Message: a name of 1–100 characters, and an auto-archive duration Discord offers. */
export function parseThreadBody(raw: unknown): { name: string } {
  const body = requireObject(raw);
  const errors = new FormErrors();
  const name = optionalString(body, 'name', errors);
  if (name === undefined || name.trim() === '') errors.add(['name'], 'BASE_TYPE_REQUIRED', 'This field is required');
  errors.maxLength(['name'], name, LIMITS.threadName);
  const archive = body.auto_archive_duration;
  if (archive !== undefined && archive !== null && ![60, 1440, 4320, 10080].includes(archive as number)) {
    errors.add(['auto_archive_duration'], 'BASE_TYPE_CHOICES', 'Value must be one of {60, 1440, 4320, 10080}.');
  }
  errors.throwIfAny();
  return { name: name! };
}

export function parseAutocompleteChoices(raw: unknown): APIApplicationCommandOptionChoice[] {
  const data = requireObject(raw);
  const errors = new FormErrors();
  const choices = optionalArray(data, 'choices', errors) ?? [];
  errors.maxLength(['data', 'choices'], choices, LIMITS.choices);
  choices.forEach((choice, index) => {
    const name = embedText(choice, 'name');
    if (!name) errors.add(['data', 'choices', index, 'name'], 'BASE_TYPE_REQUIRED', 'This field is required');
    errors.maxLength(['data', 'choices', index, 'name'], name, LIMITS.choiceName);
    if (typeof choice.value === 'string') {
      errors.maxLength(['data', 'choices', index, 'value'], choice.value, LIMITS.choiceValue);
    } else if (typeof choice.value !== 'number') {
      errors.add(['data', 'choices', index, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
    }
  });
  errors.throwIfAny();
  return choices as unknown as APIApplicationCommandOptionChoice[];
}

// Discord's rule for chat-input names: lowercase letters, digits, - and _ (plus scripts without case).
const COMMAND_NAME = /^[-_'\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateNamed(item: JsonObject, path: (string | number)[], errors: FormErrors): void {
  const name = embedText(item, 'name');
  if (!name || !COMMAND_NAME.test(name)) {
    errors.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  const description = embedText(item, 'description');
  if (!description) errors.add([...path, 'description'], 'BASE_TYPE_REQUIRED', 'This field is required');
  errors.maxLength([...path, 'description'], description, LIMITS.commandDescription);
}

function validateOptions(options: JsonObject[], path: (string | number)[], errors: FormErrors): void {
  errors.maxLength([...path, 'options'], options, LIMITS.commandOptions);
  let optionalSeen = false;
  options.forEach((option, index) => {
    const optionPath = [...path, 'options', index];
    validateNamed(option, optionPath, errors);
    if (option.required === true && optionalSeen) {
      errors.add(optionPath, 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (option.required !== true) optionalSeen = true;
    const choices = Array.isArray(option.choices) ? option.choices : [];
    errors.maxLength([...optionPath, 'choices'], choices, LIMITS.choices);
    if (choices.length > 0 && option.autocomplete === true) {
      errors.add([...optionPath, 'autocomplete'], 'AUTOCOMPLETE_CHOICES_MUTUALLY_EXCLUSIVE', 'Autocomplete cannot be set with choices');
    }
    const nested = Array.isArray(option.options) ? option.options.filter(isObject) : [];
    if (nested.length > 0) validateOptions(nested, optionPath, errors);
  });
}

// User and message commands (types 2 and 3): a name as the menu shows it, 1 to 32 characters,
// any case and spaces allowed; no description and no options.
function validateContextMenu(command: JsonObject, path: (string | number)[], errors: FormErrors): void {
  const name = embedText(command, 'name');
  if (!name || name.trim() === '' || [...name].length > 32) {
    errors.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  if (typeof command.description === 'string' && command.description !== '') {
    errors.add([...path, 'description'], 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', 'Context menu commands cannot have a description');
  }
  if (Array.isArray(command.options) && command.options.length > 0) {
    errors.add([...path, 'options'], 'APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS', 'Context menu commands cannot have options');
  }
}

/** Validates a bulk-overwrite body; only chat-input commands carry descriptions and options. */
export function parseCommandList(raw: unknown): JsonObject[] {
  if (!Array.isArray(raw) || !raw.every(isObject)) {
    throw new DiscordApiError(400, 50035, 'Invalid Form Body', {
      _errors: [{ code: 'BASE_TYPE_LIST', message: 'Must be a list of application commands.' }],
    });
  }
  const errors = new FormErrors();
  const names = new Set<string>();
  raw.forEach((command, index) => {
    const chatInput = command.type === undefined || command.type === 1;
    if (chatInput) {
      validateNamed(command, [index], errors);
      validateOptions(Array.isArray(command.options) ? command.options.filter(isObject) : [], [index], errors);
    } else validateContextMenu(command, [index], errors);
    const key = `${String(command.type ?? 1)}:${String(command.name)}`;
    if (names.has(key)) errors.add([index, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
    names.add(key);
  });
  errors.throwIfAny();
  return raw;
}
