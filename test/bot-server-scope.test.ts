import { existsSync } from 'node:fs';
import path from 'node:path';
import type { APIAttachment, APIMessage } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { MODERATOR_PERMISSIONS } from './discord-emulator/payloads.js';
import { citedSources, editsOfOriginal, isEphemeral, setUpBotSuite } from './helpers/bot-harness.js';

const LIGHTHOUSE_TEXT = 'Skerryvore Lighthouse Log\n\nThe Skerryvore lighthouse keepers logged forty storms in the winter of 1844, more than in any year before.\n';
const LIGHTHOUSE_QUESTION = 'How many storms did the Skerryvore lighthouse keepers log in 1844?';
const OPENINGS_TEXT = 'Chess Club Openings\n\nThe club teaches the Caro-Kann defence to every new member in their first month, before any other opening.\n';
const OPENINGS_QUESTION = 'Which opening does the chess club teach new members first?';
const SEED_QUESTION = 'What did the Secret Service foil in July?';

// Two communities, one bot: the harbour server has its own log; the chess club adds its own from Discord.
const suite = setUpBotSuite({
  emulator: { guilds: [{ name: 'Harbour' }, { name: 'Chess club' }] },
  bot: { SERVER_DOCUMENTS: 'true' },
  corpus: (workspace, emulator) => workspace.write(`servers/${emulator.guilds[0]!.id}/lighthouse.txt`, LIGHTHOUSE_TEXT),
});

const harbour = () => suite.emulator.guilds[0]!.id;
const chess = () => suite.emulator.guilds[1]!.id;

function ask(question: string, where: { guildId?: string; dm?: boolean }, options: Record<string, string> = {}): Promise<APIMessage> {
  return suite.emulator.sendSlashCommand({ name: 'ask', user: suite.emulator.createUser('member'), ...where, options: { question, ...options } }).waitForResponse();
}

async function documents(guildId: string, subcommand: 'add' | 'remove', option: { file?: APIAttachment; name?: string }): Promise<string> {
  const sent = suite.emulator.sendSlashCommand({
    name: 'documents',
    guildId,
    user: suite.emulator.createUser('moderator'),
    memberPermissions: MODERATOR_PERMISSIONS,
    options: [{ name: subcommand, type: 1, options: option.name === undefined ? [] : [{ name: 'name', type: 3, value: option.name }] }] as never,
    ...(option.file ? { attachments: { file: option.file } } : {}),
  });
  const finished = (text: string) => /Re-index (done|failed)|Nothing was changed/.test(text);
  return suite.emulator.waitFor(
    () => editsOfOriginal(suite.emulator, sent).map((request) => String((request.body as { content?: string }).content ?? '')).find(finished),
    30_000,
    'the end of /documents',
  );
}

describe('documents scoped per server', () => {
  it("answers a server's questions from its own documents and the shared ones, never another server's or in DMs", async () => {
    const own = `servers/${harbour()}/lighthouse.txt`;
    expect(citedSources(await ask(LIGHTHOUSE_QUESTION, { guildId: harbour() }))).toContain(own);
    for (const elsewhere of [{ guildId: chess() }, { dm: true }]) {
      const reply = await ask(LIGHTHOUSE_QUESTION, elsewhere);
      expect(isEphemeral(reply)).toBe(true);
      expect(reply.content).toMatch(/couldn't find a confident answer/);
    }
    // The shared seed articles answer everywhere.
    for (const where of [{ guildId: harbour() }, { guildId: chess() }, { dm: true }]) {
      expect(citedSources(await ask(SEED_QUESTION, where))).toContain('000_a3e3ba9c672df76e.txt');
    }
  });

  it('names no unmentioned word, which would tell one server what the others hold', async () => {
    // "Skerryvore" is in the harbour's log only, "Atlantis" nowhere: the chess club cannot tell them apart.
    for (const question of ['What did the Skerryvore keepers decide about the storms?', 'What did the Atlantis keepers decide about the storms?']) {
      const reply = await ask(question, { guildId: chess() });
      expect(reply.content).toMatch(/couldn't find a confident answer/);
      expect(reply.content).not.toMatch(/mention/);
    }
  });

  it("lists and offers only what a server sees, and refuses another server's document by name", async () => {
    const own = `servers/${harbour()}/lighthouse.txt`;
    const listed = async (guildId: string) => {
      const reply = await suite.emulator.sendSlashCommand({ name: 'sources', guildId, user: suite.emulator.createUser('reader') }).waitForResponse();
      return reply.embeds[0]!.description ?? '';
    };
    expect(await listed(harbour())).toContain(own);
    expect(await listed(chess())).not.toContain('lighthouse');
    const typed = suite.emulator.sendAutocomplete({ name: 'ask', guildId: chess(), options: { question: 'storms', source: 'light' }, focused: 'source' });
    expect(((await typed.waitForCallback()).data as { choices: unknown[] }).choices).toEqual([]);
    const refused = await ask(LIGHTHOUSE_QUESTION, { guildId: chess() }, { source: own });
    expect(isEphemeral(refused)).toBe(true);
    expect(refused.content).toMatch(/not in the index/);
  });

  it("with SERVER_DOCUMENTS, /documents changes the server's own folder only", async () => {
    const file = suite.emulator.userAttachment({ filename: 'openings.txt', content: OPENINGS_TEXT });
    expect(await documents(chess(), 'add', { file })).toMatch(/^Added `openings\.txt`\.\nRe-index done/);
    const added = path.join(suite.workspace.corpusDir, 'servers', chess(), 'openings.txt');
    expect(existsSync(added)).toBe(true);
    expect(existsSync(path.join(suite.workspace.corpusDir, 'openings.txt'))).toBe(false);
    expect(citedSources(await ask(OPENINGS_QUESTION, { guildId: chess() }))).toContain(`servers/${chess()}/openings.txt`);
    expect((await ask(OPENINGS_QUESTION, { guildId: harbour() })).content).toMatch(/couldn't find a confident answer/);

    // The harbour's moderators can neither see nor remove it, nor the shared articles from their server.
    const typed = suite.emulator.sendAutocomplete({
      name: 'documents',
      guildId: harbour(),
      memberPermissions: MODERATOR_PERMISSIONS,
      options: [{ name: 'remove', type: 1, options: [{ name: 'name', type: 3, value: '', focused: true }] }] as never,
      focused: 'name',
    });
    const offered = ((await typed.waitForCallback()).data as { choices: { value: string }[] }).choices.map((choice) => choice.value);
    expect(offered).toEqual([`servers/${harbour()}/lighthouse.txt`]);
    for (const name of [`servers/${chess()}/openings.txt`, '000_a3e3ba9c672df76e.txt']) {
      expect(await documents(harbour(), 'remove', { name })).toMatch(/no document named .* Nothing was changed\.$/);
    }
    expect(existsSync(added)).toBe(true);
    expect(existsSync(path.join(suite.workspace.corpusDir, '000_a3e3ba9c672df76e.txt'))).toBe(true);

    expect(await documents(chess(), 'remove', { name: `servers/${chess()}/openings.txt` })).toMatch(/^Removed `servers\/\d+\/openings\.txt`\.\nRe-index done/);
    expect(existsSync(added)).toBe(false);
  });
});
