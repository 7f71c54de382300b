import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type APIAttachment, type APIUser } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS } from './discord-emulator/payloads.js';
import { citedSources, editsOfOriginal, isEphemeral, setUpBotSuite } from './helpers/bot-harness.js';

const LIGHTHOUSE = 'lighthouse.txt';
const LIGHTHOUSE_TEXT =
  'Skerryvore Lighthouse Log\n\nThe Skerryvore lighthouse keepers logged forty storms in the winter of 1844, more than in any year before.\n';
const LIGHTHOUSE_QUESTION = 'How many storms did the Skerryvore lighthouse keepers log in 1844?';

const suite = setUpBotSuite();

const contentOf = (request: { body: unknown }) => String((request.body as { content?: string }).content ?? '');

/** Runs /documents as a moderator (unless told otherwise) and returns the final text of its private reply. */
async function documents(
  subcommand: 'add' | 'remove',
  input: { file?: APIAttachment; replace?: boolean; name?: string },
  as: { user?: APIUser; memberPermissions?: bigint } = {},
): Promise<string> {
  const { file, replace, name } = input;
  const options = {
    ...(replace === undefined ? {} : { replace }),
    ...(name === undefined ? {} : { name }),
  };
  const sent = suite.emulator.sendSlashCommand({
    name: 'documents',
    user: as.user ?? suite.emulator.createUser('moderator'),
    memberPermissions: as.memberPermissions ?? MODERATOR_PERMISSIONS,
    options: [{ name: subcommand, type: 1, options: Object.entries(options).map(([key, value]) => ({ name: key, type: typeof value === 'boolean' ? 5 : 3, value })) }] as never,
    ...(file ? { attachments: { file } } : {}),
  });
  const finished = (text: string) => /Re-index (done|failed)|Nothing was changed|needs the \*\*Manage Server\*\*|re-index is running/.test(text);
  return suite.emulator.waitFor(() => {
    const edit = editsOfOriginal(suite.emulator, sent).map(contentOf).find(finished);
    const callback = sent.record().callback;
    const reply = callback?.type === 4 ? String((callback.data as { content?: string } | undefined)?.content ?? '') : '';
    return edit ?? (finished(reply) ? reply : undefined);
  }, 20_000, 'the end of /documents').catch((error: unknown) => {
    throw new Error(`${String(error)}\n${suite.logs.lines.slice(-3).join('\n')}\n${suite.emulator.requests().slice(-4).map((r) => `${r.method} ${r.path} ${r.status} ${String(JSON.stringify(r.body)).slice(0, 300)}`).join('\n')}`);
  });
}

function corpusFile(name: string): string {
  return path.join(suite.workspace.corpusDir, name);
}

async function ask(question: string) {
  return suite.emulator.sendSlashCommand({ name: 'ask', options: { question }, user: suite.emulator.createUser('asker') }).waitForResponse();
}

describe('/documents', () => {
  it('adds an attached document, re-indexes, and answers from it; removes it again', async () => {
    const file = suite.emulator.userAttachment({ filename: LIGHTHOUSE, content: LIGHTHOUSE_TEXT });
    const added = await documents('add', { file });
    expect(added).toMatch(/^Added `lighthouse\.txt`\.\nRe-index done\.\nIndex \S+ ready: 6 documents/);
    expect(readFileSync(corpusFile(LIGHTHOUSE), 'utf8')).toBe(LIGHTHOUSE_TEXT);
    expect(suite.emulator.cdnRequests().map((request) => request.status)).toContain(200);
    const answer = await ask(LIGHTHOUSE_QUESTION);
    expect(citedSources(answer)).toContain(LIGHTHOUSE);

    // Autocomplete offers it by name for removal.
    const typed = suite.emulator.sendAutocomplete({ name: 'documents', options: [{ name: 'remove', type: 1, options: [{ name: 'name', type: 3, value: 'lighth', focused: true }] }] as never, focused: 'name', memberPermissions: MODERATOR_PERMISSIONS });
    const suggestions = ((await typed.waitForCallback()).data as { choices: { value: string }[] }).choices;
    expect(suggestions.map((choice) => choice.value)).toEqual([LIGHTHOUSE]);

    expect(await documents('remove', { name: LIGHTHOUSE })).toMatch(/^Removed `lighthouse\.txt`\.\nRe-index done\.\nIndex \S+ ready: 5 documents/);
    expect(existsSync(corpusFile(LIGHTHOUSE))).toBe(false);
    expect(citedSources(await ask(LIGHTHOUSE_QUESTION))).not.toContain(LIGHTHOUSE);
  });

  it('refuses someone without Manage Server, downloading nothing', async () => {
    const before = suite.emulator.cdnRequests().length;
    const file = suite.emulator.userAttachment({ filename: 'notice.txt', content: 'A notice for everyone.\n' });
    const refused = await documents('add', { file }, { memberPermissions: DEFAULT_MEMBER_PERMISSIONS });
    expect(refused).toMatch(/Changing the documents needs the \*\*Manage Server\*\* permission/);
    expect(suite.emulator.cdnRequests()).toHaveLength(before);
    expect(existsSync(corpusFile('notice.txt'))).toBe(false);
  });

  it.each([
    ['a path out of the corpus', '../escape.txt', 'Escaped text.\n', /cannot be a document's name/],
    ['a hidden file', '.hidden.txt', 'Hidden text.\n', /cannot be a document's name/],
    ['another type', 'book.epub', 'PK…', /Only \.txt, \.md, \.markdown, \.html, \.htm, \.pdf, \.docx files can be added/],
    ['a PDF that is not one', 'report.pdf', '%PDF-1.4 …', /cannot be indexed: it could not be read as a PDF/],
    ['Markdown with nothing to read', 'notes.md', '---\ntitle: Notes\n---\n', /cannot be indexed: it holds no text once read as Markdown/],
    ['binary content', 'binary.txt', new Uint8Array([0x89, 0x50, 0x00, 0x47]), /cannot be indexed: it looks binary/],
    ['text that is not UTF-8', 'latin.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]), /cannot be indexed: it is not valid UTF-8/],
    ['an empty file', 'empty.txt', '   \n', /cannot be indexed: it is empty/],
  ])('refuses %s, changing nothing', async (_what, filename, content, reason) => {
    const sourcesBefore = suite.engine.sources().map((info) => info.source);
    const versionBefore = suite.engine.indexVersion;
    const text = await documents('add', { file: suite.emulator.userAttachment({ filename, content }) });
    expect(text).toMatch(reason);
    expect(text).toMatch(/Nothing was changed\.$/);
    expect(existsSync(path.join(suite.workspace.corpusDir, '..', 'escape.txt'))).toBe(false);
    expect(suite.engine.indexVersion).toBe(versionBefore);
    expect(suite.engine.sources().map((info) => info.source)).toEqual(sourcesBefore);
  });

  it('refuses to replace a document unless asked to, and a file over MAX_FILE_BYTES before downloading it', async () => {
    const existing = '000_a3e3ba9c672df76e.txt';
    const original = readFileSync(corpusFile(existing), 'utf8');
    const refused = await documents('add', { file: suite.emulator.userAttachment({ filename: existing, content: 'A shorter version.\n' }) });
    expect(refused).toMatch(/already in the corpus\. Add it again with the option replace set to True/);
    expect(readFileSync(corpusFile(existing), 'utf8')).toBe(original);
    const replaced = await documents('add', { file: suite.emulator.userAttachment({ filename: existing, content: `${original}\nA correction was appended by the editors.\n` }), replace: true });
    expect(replaced).toMatch(/^Replaced `000_a3e3ba9c672df76e\.txt`\.\nRe-index done\./);

    const before = suite.emulator.cdnRequests().length;
    const huge = suite.emulator.userAttachment({ filename: 'huge.txt', content: 'word '.repeat(1_100_000) });
    expect(await documents('add', { file: huge })).toMatch(/at most 5242880 \(MAX\\_FILE\\_BYTES\)\. Nothing was changed\./);
    expect(suite.emulator.cdnRequests()).toHaveLength(before);
    expect(await documents('remove', { name: 'nothing-here.txt' })).toMatch(/There is no document named “nothing-here\.txt” at the top of the corpus folder/);

    // An attachment Discord no longer serves: a reply saying so, not an apology.
    const listed = suite.emulator.userAttachment({ filename: 'gone.txt', content: 'Gone before it was read.\n' });
    const gone = { ...listed, url: listed.url.replace('/attachments/ephemeral/', '/attachments/expired/') };
    expect(await documents('add', { file: gone })).toMatch(/could not be downloaded from Discord \(HTTP 404\); try attaching it again\. Nothing was changed\./);
    expect(existsSync(corpusFile('gone.txt'))).toBe(false);
  });
});
