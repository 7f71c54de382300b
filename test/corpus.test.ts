import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyLine } from '../src/corpus/line-kinds.js';
import { loadCorpus } from '../src/corpus/load-corpus.js';
import { createWorkspace, SEEDS_DIR, type Workspace } from './helpers/workspace.js';

describe('loading the seed corpus', () => {
  it('loads every article with its title, URL and verbatim text', async () => {
    const { documents, skipped } = await loadCorpus(SEEDS_DIR, 1_000_000);
    expect(skipped).toEqual([]);
    expect(documents.map((d) => d.source)).toEqual([
      '000_a3e3ba9c672df76e.txt',
      '001_6eda3b05087c9b46.txt',
      '002_f2ac3f91f2472cf6.txt',
      '003_ed7262cd783d48bf.txt',
      '004_63f53a2ce5766511.txt',
    ]);
    const [arabNews, , , iranDenies] = documents;
    expect(arabNews!.url).toBe('https://arab.news/y52zn');
    expect(arabNews!.title).toBe('Tehran seeks to undermine former president’s chances to avoid worsening relations with Washington');
    expect(iranDenies!.title).toBe('Iran Denies US Intelligence Claims Over Election Interference');
    expect(iranDenies!.url).toBeNull();
    for (const document of documents) expect(document.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('boilerplate is not content', () => {
  it.each([
    ['JOIN US ON TELEGRAM', 'boilerplate'],
    ['Follow our coverage of the war on the @Kyivpost_official.', 'boilerplate'],
    ['You can also highlight the text and press Ctrl + Enter', 'heading'],
    ['Recent Comments', 'heading'],
    ['{Matzav.com}', 'boilerplate'],
    ['https://arab.news/y52zn', 'url'],
    ['Sanctions Busting: Germany’s Role in Dodging Russian Sanctions', 'heading'],
    // The rule is general: unseen navigation and calls to action are caught too.
    ['Subscribe to our newsletter for daily updates.', 'boilerplate'],
    ['SHARE THIS ARTICLE', 'boilerplate'],
    ['Read more', 'heading'],
    ['[Reuters]', 'boilerplate'],
  ])('%s → %s', (line, kind) => {
    expect(classifyLine(line)).toBe(kind);
  });

  it.each([
    'Beijing rejected the notion in a VoA inquiry.',
    'Trump’s running mate, JD Vance, has been vocally against further aid to Ukraine.',
    // An imperative that is prose, not a call to action, stays content.
    'Follow the money, investigators said, and the trail leads to Tehran.',
  ])('keeps prose: %s', (line) => {
    expect(classifyLine(line)).toBe('text');
  });
});

describe('files that cannot be indexed', () => {
  let workspace: Workspace;
  beforeEach(async () => {
    workspace = await createWorkspace({ seeds: false });
  });
  afterEach(() => workspace.cleanup());

  it('gives each document a title that reads as one, never a whole sentence', async () => {
    await workspace.write('front.md', '---\ntitle: "Ferry timetable, winter"\nurl: https://example.com/ferry\n---\n\n# Other heading\n\nBoats leave at nine.\n');
    await workspace.write('headed.txt', 'Harbour Committee Minutes\n\nThe committee met on Tuesday and agreed the new tolls for the north quay.\n');
    await workspace.write('harbour-tolls_2024.txt', 'The committee met on Tuesday and agreed the new tolls for the north quay after a long debate.\n');
    await workspace.write('untitled.md', '---\nauthor: someone\ntitle:\n---\n\nHarbour notes\n\nThe committee met on Tuesday.\n');
    await workspace.write('007_9f3a2b7c1d0e4f56.txt', 'The committee met on Tuesday and agreed the new tolls for the north quay after a long debate.\n');
    const { documents } = await loadCorpus(workspace.corpusDir, 1_000_000);
    const titles = Object.fromEntries(documents.map((document) => [document.source, document.title]));
    expect(titles['front.md']).toBe('Ferry timetable, winter');
    expect(titles['headed.txt']).toBe('Harbour Committee Minutes');
    expect(titles['harbour-tolls_2024.txt']).toBe('Harbour tolls 2024');
    // Front matter without a title: the heading after it, never the '---' line or an empty title.
    expect(titles['untitled.md']).toBe('Harbour notes');
    // A hash for a name: the opening words, cut short at a word.
    expect(titles['007_9f3a2b7c1d0e4f56.txt']).toBe('The committee met on Tuesday and agreed the new tolls for…');
  });

  it('skips empty, binary, non-UTF-8 and oversized files with a reason, and loads the rest', async () => {
    await workspace.write('good.md', '# A heading\n\nA real paragraph with a sentence in it.\n');
    await workspace.write('empty.txt', '   \n\n');
    await workspace.write('binary.txt', new Uint8Array([0x47, 0x49, 0x46, 0x00, 0x01, 0x02]));
    await workspace.write('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72, 0x2e]));
    await workspace.write('big.txt', `${'A sentence that repeats itself. '.repeat(100)}\n`);
    await workspace.write('notes.epub', 'not a format the corpus reads');
    await workspace.write('notes.pdf', 'not a PDF, though named as one');
    await workspace.write('.hidden.md', 'A hidden draft that must not be indexed.');
    await workspace.write('nested/deeper.txt', 'A nested file is part of the corpus too.');

    const { documents, skipped } = await loadCorpus(workspace.corpusDir, 1000);
    expect(documents.map((d) => d.source)).toEqual(['good.md', 'nested/deeper.txt']);
    expect(documents[0]!.title).toBe('A heading');
    const reasons = Object.fromEntries(skipped.map((file) => [file.source, file.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['big.txt', 'binary.txt', 'empty.txt', 'latin1.txt', 'notes.pdf']);
    expect(reasons['notes.pdf']).toMatch(/could not be read as a PDF/);
    expect(reasons['empty.txt']).toMatch(/empty/);
    expect(reasons['binary.txt']).toMatch(/binary/);
    expect(reasons['latin1.txt']).toMatch(/UTF-8/);
    expect(reasons['big.txt']).toMatch(/MAX_FILE_BYTES/);
  });

  it('says clearly when the corpus folder does not exist', async () => {
    await expect(loadCorpus(`${workspace.corpusDir}/missing`, 1000)).rejects.toThrow(/does not exist.*CORPUS_DIR/);
  });
});
