import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotStateError } from '../src/errors.js';
import { AnswerLog } from '../src/feedback/answer-log.js';
import Database from 'better-sqlite3';
import { openBotDatabase } from '../src/feedback/database.js';
import { VoteLog } from '../src/feedback/votes.js';

const DAY_MS = 86_400_000;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'corpus-bot-answers-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("the bot's answer log", () => {
  it('keeps answers across a reopen of the database, as a restarted bot finds them', () => {
    const file = path.join(dir, 'nested', 'bot.sqlite');
    const first = openBotDatabase(file);
    const id = new AnswerLog(first, 30).record({ question: 'What did Iran say?', source: null, results: 3, indexVersion: 'v1', answered: true, guildId: null, origin: 'question' });
    first.close();

    const reopened = openBotDatabase(file);
    expect(new AnswerLog(reopened, 30).find(id)).toMatchObject({ id, question: 'What did Iran say?', source: null, results: 3, indexVersion: 'v1', answered: true, guildId: null, origin: 'question' });
    expect(new AnswerLog(reopened, 30).find(id + 1)).toBeNull();
    reopened.close();
  });

  it('forgets answers past the retention, and prunes them', () => {
    const database = openBotDatabase(path.join(dir, 'bot.sqlite'));
    let now = 1_000 * DAY_MS;
    const log = new AnswerLog(database, 7, () => now);
    const old = log.record({ question: 'old', source: 'a.txt', results: 5, indexVersion: 'v1', answered: true, guildId: null, origin: 'question' });
    now += 3 * DAY_MS;
    const recent = log.record({ question: 'recent', source: null, results: 3, indexVersion: 'v1', answered: true, guildId: null, origin: 'question' });
    now += 5 * DAY_MS;
    expect(log.find(old)).toBeNull();
    expect(log.find(recent)?.question).toBe('recent');
    expect(log.pruneExpired()).toBe(1);
    expect(log.pruneExpired()).toBe(0);
    database.close();
  });

  it('brings a database of the first schema up to date, keeping its answers', () => {
    const file = path.join(dir, 'v1.sqlite');
    const v1 = new Database(file);
    v1.exec(`CREATE TABLE answers (id INTEGER PRIMARY KEY AUTOINCREMENT, question TEXT NOT NULL, source TEXT, results INTEGER NOT NULL,
               index_version TEXT NOT NULL, created_at INTEGER NOT NULL);
             CREATE INDEX answers_created_at ON answers (created_at);
             INSERT INTO answers VALUES (7, 'What did Iran say?', NULL, 3, 'v1', ${Date.now()});
             PRAGMA user_version = 1;`);
    v1.close();
    const database = openBotDatabase(file);
    expect(new AnswerLog(database, 30).find(7)).toMatchObject({ question: 'What did Iran say?', answered: true, guildId: null, origin: 'question' });
    expect(new VoteLog(database).vote(7, 'user-1', -1)).toBe('recorded');
    database.close();
  });

  it('drops the votes of an answer past the retention with it', () => {
    const database = openBotDatabase(path.join(dir, 'bot.sqlite'));
    let now = 1_000 * DAY_MS;
    const log = new AnswerLog(database, 7, () => now);
    const id = log.record({ question: 'q', source: null, results: 3, indexVersion: 'v1', answered: true, guildId: 'g', origin: 'question' });
    new VoteLog(database, () => now).vote(id, 'user-1', 1);
    now += 8 * DAY_MS;
    expect(log.pruneExpired()).toBe(1);
    expect(database.prepare('SELECT COUNT(*) AS n FROM votes').get()).toEqual({ n: 0 });
    // A vote on an answer that is gone is refused by the database, not stored loose.
    expect(() => new VoteLog(database).vote(id, 'user-2', 1)).toThrow(/FOREIGN KEY/);
    database.close();
  });

  it('refuses a database written by a newer bot, and a file that is not one, naming the setting', async () => {
    const newer = path.join(dir, 'newer.sqlite');
    const database = openBotDatabase(newer);
    database.pragma('user_version = 99');
    database.close();
    expect(() => openBotDatabase(newer)).toThrow(BotStateError);
    expect(() => openBotDatabase(newer)).toThrow(/newer version of the bot.*BOT_DATABASE/);

    const notADatabase = path.join(dir, 'notes.sqlite');
    await writeFile(notADatabase, 'these are not the rows you are looking for\n'.repeat(200));
    expect(() => openBotDatabase(notADatabase)).toThrow(/notes\.sqlite cannot be used: file is not a database.*BOT_DATABASE/);
  });
});
