import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDocument, checkedDocumentName, isRemovableName, removeDocument } from '../src/corpus/document-files.js';
import { DocumentRejectedError } from '../src/errors.js';

let dir: string;
const limits = { replace: false, maxFileBytes: 1000 };

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'corpus-bot-documents-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('documents added to the corpus folder', () => {
  it('takes a name as the folder will list it (NFC), and refuses names a file system would not', () => {
    const nfd = 'Cafe\u0301 notes.md';
    expect(checkedDocumentName(nfd)).toBe('Café notes.md');
    expect(() => checkedDocumentName(`${'語'.repeat(80)}.txt`)).toThrow(DocumentRejectedError);
    for (const bad of ['../x.txt', 'a/b.txt', 'a\\b.txt', '.hidden.md', 'x.epub', '']) expect(() => checkedDocumentName(bad)).toThrow(DocumentRejectedError);
  });

  it('writes the file whole, leaving no partial file, and replaces only when told to', async () => {
    expect(await addDocument(dir, 'notes.txt', Buffer.from('First text.\n'), limits)).toBe('added');
    await expect(addDocument(dir, 'notes.txt', Buffer.from('Second text.\n'), limits)).rejects.toThrow(/already in the corpus/);
    expect(await addDocument(dir, 'notes.txt', Buffer.from('Second text.\n'), { ...limits, replace: true })).toBe('replaced');
    expect(await readFile(path.join(dir, 'notes.txt'), 'utf8')).toBe('Second text.\n');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('reports a corpus folder it cannot write as a refusal naming CORPUS_DIR, writing nothing', async () => {
    const file = path.join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    await expect(addDocument(file, 'notes.txt', Buffer.from('Text.\n'), limits)).rejects.toThrow(/could not be changed \(ENOTDIR while looking for it\); check CORPUS_DIR/);
  });

  it('removes only files at the top of the folder that the corpus reads', async () => {
    await writeFile(path.join(dir, "O'Brien notes.txt"), 'Text.\n');
    expect(isRemovableName("O'Brien notes.txt")).toBe(true);
    for (const name of ['sub/a.txt', '.hidden.txt', 'image.png']) expect(isRemovableName(name)).toBe(false);
    await removeDocument(dir, "O'Brien notes.txt");
    expect(existsSync(path.join(dir, "O'Brien notes.txt"))).toBe(false);
    await expect(removeDocument(dir, '../outside.txt')).rejects.toThrow(/no document named/);
  });
});
