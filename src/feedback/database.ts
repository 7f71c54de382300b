import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BotStateError } from '../errors.js';

/**
 * The bot's own records (the answers its buttons refer to, declines, votes, the channels and
 * threads it answers in), in SQLite.
 * Each migration runs once, in order, inside a transaction, and `user_version` records how far a
 * database has come, so a bot upgraded over an existing file keeps everything in it.
 */
const MIGRATIONS: readonly string[] = [
  // AUTOINCREMENT: an id is never handed out again once its answer is pruned, so an old button
  // can never name a later answer.
  `CREATE TABLE answers (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     question TEXT NOT NULL,
     source TEXT,
     results INTEGER NOT NULL,
     index_version TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX answers_created_at ON answers (created_at);`,
  // Declines are answers too (what /gaps reads), in the server they were asked in; votes belong
  // to an answer and go with it.
  `ALTER TABLE answers ADD COLUMN answered INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE answers ADD COLUMN guild_id TEXT;
   CREATE INDEX answers_guild_created_at ON answers (guild_id, created_at);
   CREATE TABLE votes (
     answer_id INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
     user_id TEXT NOT NULL,
     vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
     voted_at INTEGER NOT NULL,
     PRIMARY KEY (answer_id, user_id)
   );`,
  // Where the text came from: a question someone asked, or a message someone else wrote that a
  // user asked sources for (Find sources), which /gaps leaves out.
  `ALTER TABLE answers ADD COLUMN origin TEXT NOT NULL DEFAULT 'question' CHECK (origin IN ('question', 'message'));`,
  // Channels a server's moderators opted in (forum posts answered, /ask thread:true), and the
  // threads the bot answers in, whose follow-ups it answers while their channel stays opted in.
  `CREATE TABLE corpus_channels (
     guild_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('text', 'forum')),
     added_by TEXT NOT NULL,
     added_at INTEGER NOT NULL,
     PRIMARY KEY (guild_id, channel_id)
   );
   CREATE TABLE answer_threads (
     thread_id TEXT PRIMARY KEY,
     guild_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     active_at INTEGER NOT NULL
   );
   CREATE INDEX answer_threads_active_at ON answer_threads (active_at);`,
];

export type BotDatabase = Database.Database;

export function openBotDatabase(file: string): BotDatabase {
  let database: BotDatabase | undefined;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    database = new Database(file);
    // WAL: a reader never waits for the writer, and a crash mid-write leaves the last commit intact.
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    migrate(database);
    return database;
  } catch (error) {
    database?.close();
    throw new BotStateError(file, error);
  }
}

function migrate(database: BotDatabase): void {
  // Each step reads the version inside a write transaction: several processes (the shards of
  // `npm run start:sharded`) may open one database at once, and only one applies each migration.
  const step = database.transaction((): boolean => {
    const version = database.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(`it was written by a newer version of the bot (schema ${version}; this one knows ${MIGRATIONS.length})`);
    }
    if (version === MIGRATIONS.length) return false;
    database.exec(MIGRATIONS[version]!);
    database.pragma(`user_version = ${version + 1}`);
    return true;
  });
  while (step.immediate());
}
