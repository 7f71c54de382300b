import path from 'node:path';
import { ConfigError } from '../errors.js';
import { readBoolean, readNumber, readOptionalString, readString, type Env } from '../config/env.js';

export interface BotSettings {
  token: string;
  clientId: string;
  /** Commands are registered to this server only (instant, for testing) when set, else globally. */
  guildId: string | undefined;
  /** REST API base URL, e.g. an emulator or proxy; discord.js's default when unset. */
  apiBase: string | undefined;
  /** Users who may run /reindex in direct messages. */
  ownerIds: ReadonlySet<string>;
  rateLimit: { questions: number; windowMs: number };
  maxConcurrentSearches: number;
  /** Answer within this long, or defer the reply first (Discord requires a response within 3 s). */
  deferAfterMs: number;
  /** The bot's SQLite database: the answers its buttons refer to. */
  databasePath: string;
  /** Answers older than this are forgotten; their buttons then ask for the question again. */
  answerRetentionDays: number;
  /** 👍/👎 under answers, and declines recorded with their question, for `/gaps`. */
  feedback: boolean;
  /** `/documents` in a server changes that server's own documents (`servers/<id>/`), not the shared ones. */
  serverDocuments: boolean;
  /** How often the index folder's CURRENT is looked at, to serve a version another process built (0: never). */
  indexPollMs: number;
  /** `npm run start:sharded`: how many gateway shards, or as many as Discord recommends. */
  shards: number | 'auto';
}

const SNOWFLAKE = /^\d{17,20}$/;
// A bot token is three base64url parts joined by dots.
const TOKEN = /^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/;

function required(env: Env, name: string, hint: string): string {
  const value = readOptionalString(env, name);
  if (value === undefined) throw new ConfigError(name, `${name} is not set. ${hint}`);
  return value;
}

function snowflake(name: string, value: string): string {
  if (!SNOWFLAKE.test(value)) throw new ConfigError(name, `${name} must be a Discord id (17 to 20 digits); it is "${value}".`);
  return value;
}

export function readBotSettings(env: Env = process.env, baseDir = process.cwd()): BotSettings {
  const token = required(env, 'DISCORD_TOKEN', 'Copy the bot token from the Discord developer portal (Bot → Reset Token) into .env.');
  if (!TOKEN.test(token)) {
    throw new ConfigError('DISCORD_TOKEN', 'DISCORD_TOKEN does not look like a bot token (three dot-separated parts). Copy it again from the developer portal.');
  }
  const clientId = snowflake(
    'DISCORD_CLIENT_ID',
    required(env, 'DISCORD_CLIENT_ID', 'Copy the Application ID from the developer portal (General Information) into .env.'),
  );
  const guildId = readOptionalString(env, 'DISCORD_GUILD_ID');
  const apiBase = readOptionalString(env, 'DISCORD_API_BASE');
  if (apiBase !== undefined && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(apiBase)) {
    throw new ConfigError('DISCORD_API_BASE', `DISCORD_API_BASE must be an http(s) URL such as http://127.0.0.1:8080/api; it is "${apiBase}".`);
  }
  const owners = (readOptionalString(env, 'BOT_OWNER_IDS') ?? '').split(',').map((id) => id.trim()).filter((id) => id !== '');
  return {
    token,
    clientId,
    guildId: guildId === undefined ? undefined : snowflake('DISCORD_GUILD_ID', guildId),
    apiBase,
    ownerIds: new Set(owners.map((id) => snowflake('BOT_OWNER_IDS', id))),
    rateLimit: {
      questions: readNumber(env, 'RATE_LIMIT_QUESTIONS', 6, { min: 1, max: 1000, integer: true }),
      windowMs: readNumber(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, { min: 1, max: 86_400 }) * 1000,
    },
    maxConcurrentSearches: readNumber(env, 'MAX_CONCURRENT_SEARCHES', 2, { min: 1, max: 64, integer: true }),
    deferAfterMs: readNumber(env, 'DEFER_AFTER_MS', 1200, { min: 0, max: 2500, integer: true }),
    // Beside the index by default: one folder holds all the state a deployment must keep.
    databasePath: path.resolve(baseDir, readOptionalString(env, 'BOT_DATABASE') ?? path.join(readString(env, 'INDEX_DIR', 'embeddings'), 'bot.sqlite')),
    answerRetentionDays: readNumber(env, 'ANSWER_RETENTION_DAYS', 30, { min: 1, max: 3650 }),
    feedback: readBoolean(env, 'FEEDBACK', true),
    serverDocuments: readBoolean(env, 'SERVER_DOCUMENTS', false),
    indexPollMs: readNumber(env, 'INDEX_POLL_SECONDS', 2, { min: 0, max: 3600 }) * 1000,
    shards: (readOptionalString(env, 'BOT_SHARDS') ?? 'auto') === 'auto' ? 'auto' : readNumber(env, 'BOT_SHARDS', 1, { min: 1, max: 10_000, integer: true }),
  };
}
