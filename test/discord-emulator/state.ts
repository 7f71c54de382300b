import { ApplicationCommandType } from 'discord-api-types/v10';
import type { APIApplicationCommand } from 'discord-api-types/v10';
import { DiscordApiError, apiErrors } from './api-error.js';
import { InteractionState } from './interaction-state.js';
import { parseCommandList } from './validation.js';

export type { EmulatedChannel, EmulatedGuild, GuildChannelKind, StateConfig } from './channel-state.js';
export type { CallbackOutcome, CallbackRecord, InteractionRecord } from './interaction-state.js';

const GLOBAL_SCOPE = 'global';

/**
 * The emulator's in-memory Discord: everything REST calls and test builders change. Channels and
 * messages (channel-state.ts), interactions (interaction-state.ts), and here the application's commands.
 */
export class EmulatorState extends InteractionState {
  readonly #commands = new Map<string, APIApplicationCommand[]>();

  #scope(applicationId: string, guildId: string | null): string {
    if (applicationId !== this.config.applicationId) throw apiErrors.notFound();
    if (guildId === null) return GLOBAL_SCOPE;
    if (!this.guilds.some((guild) => guild.id === guildId)) throw new DiscordApiError(403, 50001, 'Missing Access');
    return guildId;
  }

  commands(applicationId: string, guildId: string | null): APIApplicationCommand[] {
    return this.#commands.get(this.#scope(applicationId, guildId)) ?? [];
  }

  /** Discord keeps a command's id across overwrites as long as its name and type stay. */
  #toCommand(raw: Record<string, unknown>, guildId: string | null, previous: APIApplicationCommand[]): APIApplicationCommand {
    const type = typeof raw.type === 'number' ? raw.type : ApplicationCommandType.ChatInput;
    const existing = previous.find((command) => command.name === raw.name && command.type === type);
    return {
      ...raw,
      id: existing?.id ?? this.newId(),
      application_id: this.config.applicationId,
      version: this.newId(),
      type,
      name: String(raw.name),
      description: typeof raw.description === 'string' ? raw.description : '',
      default_member_permissions: typeof raw.default_member_permissions === 'string' ? raw.default_member_permissions : null,
      ...(guildId === null ? {} : { guild_id: guildId }),
    } as APIApplicationCommand;
  }

  overwriteCommands(applicationId: string, guildId: string | null, rawBody: unknown): APIApplicationCommand[] {
    const scope = this.#scope(applicationId, guildId);
    const previous = this.#commands.get(scope) ?? [];
    const commands = parseCommandList(rawBody).map((raw) => this.#toCommand(raw, guildId, previous));
    this.#commands.set(scope, commands);
    return commands;
  }

  /** Creating a command whose name exists replaces it, which Discord answers with 200 instead of 201. */
  upsertCommand(applicationId: string, guildId: string | null, rawBody: unknown): { command: APIApplicationCommand; created: boolean } {
    const scope = this.#scope(applicationId, guildId);
    const previous = this.#commands.get(scope) ?? [];
    const [raw] = parseCommandList([rawBody]);
    const command = this.#toCommand(raw ?? {}, guildId, previous);
    const created = !previous.some((existing) => existing.id === command.id);
    this.#commands.set(scope, [...previous.filter((existing) => existing.id !== command.id), command]);
    return { command, created };
  }

  /** The command a test invokes by name: guild commands shadow global ones, as in the Discord client. */
  findCommand(name: string, guildId: string | null): APIApplicationCommand | undefined {
    const inGuild = guildId === null ? undefined : this.#commands.get(guildId)?.find((command) => command.name === name);
    return inGuild ?? this.#commands.get(GLOBAL_SCOPE)?.find((command) => command.name === name);
  }
}
