import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BotStateError } from '../errors.js';

/**
 * The bot's own records (answers its buttons refer to; votes and gaps build on them), in SQLite.
 * Each migration runs once, in order, inside a transaction, and `user_version` records how far a
 * database has come, so a bot upgraded over an existing file keeps everything in it.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE answers (
     id INTEGER PRIMARY KEY,
     question TEXT NOT NULL,
     source TEXT,
     results INTEGER NOT NULL,
     index_version TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX answers_created_at ON answers (created_at);`,
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
    migrate(database);
    return database;
  } catch (error) {
    database?.close();
    throw new BotStateError(file, error);
  }
}

function migrate(database: BotDatabase): void {
  const version = database.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`it was written by a newer version of the bot (schema ${version}; this one knows ${MIGRATIONS.length})`);
  }
  MIGRATIONS.slice(version).forEach((sql, i) => {
    database.transaction(() => {
      database.exec(sql);
      database.pragma(`user_version = ${version + i + 1}`);
    })();
  });
}
