import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { wordCount } from '../src/corpus/line-kinds.js';
import { loadCorpus } from '../src/corpus/load-corpus.js';
import { readEvalQuestions } from '../src/eval/seed-questions.js';
import { phraseInMemory } from '../src/index-store/in-memory-evidence.js';
import { analyzeToken } from '../src/lexical/analyzer.js';
import { Bm25Index } from '../src/lexical/bm25.js';
import { defaultBridges } from '../src/lexical/bridges.js';
import { chunkDocument } from '../src/passages/chunk.js';
import type { Passage } from '../src/passages/passage.js';
import { splitSentences } from '../src/passages/sentences.js';
import { analyzeQuestion } from '../src/retrieval/question-terms.js';
import { ELLIPSIS, selectQuote, type Quote } from '../src/retrieval/quote.js';
import { PROJECT_ROOT, SEEDS_DIR } from './helpers/workspace.js';

type Evidence = Map<string, { group: number; weight: number }>;

/** A passage that is a whole one-line document, its sentences found as indexing finds them. */
function passageOf(text: string): Passage {
  return {
    id: 1,
    source: 'doc.txt',
    ordinal: 0,
    start: 0,
    end: text.length,
    lineStart: 1,
    lineEnd: 1,
    paragraphStart: 1,
    paragraphEnd: 1,
    text,
    sentences: splitSentences(text),
  };
}

/** Evidence for the user's words as written: word → [group, weight], the word analysed as the index would. */
function evidenceOf(words: Record<string, readonly [number, number]>): Evidence {
  const evidence: Evidence = new Map();
  for (const [word, [group, weight]] of Object.entries(words)) evidence.set(analyzeToken(word)!, { group, weight });
  return evidence;
}

/** The pieces of a quote between its ellipses. */
function piecesOf(quote: Quote): string[] {
  return quote.text
    .split(ELLIPSIS)
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');
}

describe('the highlighted sentence', () => {
  const text = 'Officials said the talks were held. Khatibzadeh denied it. Officials said the talks ended.';

  it('is the one with the highest weighted score: a rare word outweighs two common ones', async () => {
    const evidence = evidenceOf({ officials: [0, 1], talks: [1, 1], Khatibzadeh: [2, 3] });
    expect(selectQuote(passageOf(text), evidence, 400).highlight).toBe('Khatibzadeh denied it.');
    // Weighed less than the two together, the rare word loses (to the first of the tied sentences).
    const lighter = evidenceOf({ officials: [0, 1], talks: [1, 1], Khatibzadeh: [2, 1.5] });
    expect(selectQuote(passageOf(text), lighter, 400).highlight).toBe('Officials said the talks were held.');
  });

  it('counts a word repeated in a sentence once', async () => {
    const repeated = 'Iran, Iran and Iran again. The talks ended.';
    const evidence = evidenceOf({ Iran: [0, 2], talks: [1, 2.5] });
    expect(selectQuote(passageOf(repeated), evidence, 400).highlight).toBe('The talks ended.');
  });

  it('counts a user’s word once however many of its bridged words a sentence holds, at the best weight', async () => {
    // Tehran is bridged to Iran (same group): the first sentence scores 2, not 3.
    const bridged = 'Iran and Tehran met. The talks ended.';
    const evidence = evidenceOf({ Iran: [0, 2], Tehran: [0, 1], talks: [1, 2.5] });
    expect(selectQuote(passageOf(bridged), evidence, 400).highlight).toBe('The talks ended.');
  });

  it('is the first sentence when no sentence holds a question word', async () => {
    const quote = selectQuote(passageOf(text), evidenceOf({ unicorn: [0, 5] }), 400);
    expect(quote.highlight).toBe('Officials said the talks were held.');
  });
});

describe('the quote', () => {
  // Five sentences of 20 characters each, separated by one space: sentence i spans [21i, 21i + 20).
  const five = ['Alpha met the chief.', 'Bravo met the chief.', 'Kilo met the envoys.', 'Delta met the chief.', 'Omega met the chief.'];
  const text = five.join(' ');
  const passage = passageOf(text);
  const on = (word: string, weight = 1): Evidence => evidenceOf({ [word]: [0, weight] });

  it('is the whole passage, without ellipses, when the passage fits', async () => {
    const short = 'Iran denied it. The spokesman said so.';
    const quote = selectQuote(passageOf(short), on('spokesman'), 400);
    expect(quote).toMatchObject({ text: short, highlight: 'The spokesman said so.' });
  });

  it('holds at most three sentences, however much room is left', async () => {
    const quote = selectQuote(passage, on('Kilo'), 2000);
    expect(quote.highlight).toBe('Kilo met the envoys.');
    // All neighbours tie (no question word): the following sentences are taken first.
    expect(quote.text).toBe(`${ELLIPSIS} ${five.slice(2).join(' ')}`);
    expect(selectQuote(passage, on('Alpha'), 2000).text).toBe(`${five.slice(0, 3).join(' ')} ${ELLIPSIS}`);
  });

  it('adds neighbours only while they fit within maxChars', async () => {
    // Two sentences take 41 characters, three 62.
    expect(selectQuote(passage, on('Kilo'), 20).text).toBe(`${ELLIPSIS} Kilo met the envoys. ${ELLIPSIS}`);
    expect(selectQuote(passage, on('Kilo'), 40).text).toBe(`${ELLIPSIS} Kilo met the envoys. ${ELLIPSIS}`);
    expect(selectQuote(passage, on('Kilo'), 41).text).toBe(`${ELLIPSIS} Kilo met the envoys. Delta met the chief. ${ELLIPSIS}`);
    expect(selectQuote(passage, on('Kilo'), 61).text).toBe(`${ELLIPSIS} Kilo met the envoys. Delta met the chief. ${ELLIPSIS}`);
    expect(selectQuote(passage, on('Kilo'), 62).text).toBe(`${ELLIPSIS} ${five.slice(2).join(' ')}`);
  });

  it('on a tie adds the following sentence before the preceding one, otherwise the more relevant one', async () => {
    expect(selectQuote(passage, on('Kilo'), 41).text).toBe(`${ELLIPSIS} Kilo met the envoys. Delta met the chief. ${ELLIPSIS}`);
    // With no following sentence, the preceding ones are taken.
    expect(selectQuote(passage, on('Omega'), 41).text).toBe(`${ELLIPSIS} Delta met the chief. Omega met the chief.`);
    // "Bravo" makes the preceding sentence more relevant than the following one.
    const evidence = evidenceOf({ Kilo: [0, 3], Bravo: [1, 1] });
    expect(selectQuote(passage, evidence, 41).text).toBe(`${ELLIPSIS} Bravo met the chief. Kilo met the envoys. ${ELLIPSIS}`);
  });

  it('adds the following sentence first when it carries the subject on: a pronoun, or a name the passage used before', async () => {
    const evidence = evidenceOf({ elections: [0, 2], officials: [1, 1] });
    const quoteOf = (third: string) => {
      const firstTwo = 'Delegates met Alireza Miryousefi and officials in May. The world questions its own elections.';
      // Room for the highlighted sentence and either neighbour, not both.
      return selectQuote(passageOf(`${firstTwo} ${third}`), evidence, firstTwo.length).text;
    };
    expect(quoteOf('Miryousefi was referring to Trump.')).toBe(`${ELLIPSIS} The world questions its own elections. Miryousefi was referring to Trump.`);
    expect(quoteOf('He was referring to Trump.')).toBe(`${ELLIPSIS} The world questions its own elections. He was referring to Trump.`);
    // A name not used before, or used before only where a sentence starts, does not: the more relevant neighbour is taken.
    for (const third of ['Khatibzadeh was referring to Trump.', 'Delegates were referring to Trump.']) {
      expect(quoteOf(third)).toBe(`Delegates met Alireza Miryousefi and officials in May. The world questions its own elections. ${ELLIPSIS}`);
    }
  });

  it('puts an ellipsis only on a side where text is left out', async () => {
    expect(selectQuote(passage, on('Alpha'), 62).text).toBe(`${five.slice(0, 3).join(' ')} ${ELLIPSIS}`);
    expect(selectQuote(passage, on('Omega'), 62).text).toBe(`${ELLIPSIS} ${five.slice(2).join(' ')}`);
    // Only the first sentence is missing: the quote starts with an ellipsis and nothing else.
    expect(selectQuote(passageOf(five.slice(0, 4).join(' ')), on('Delta'), 62).text).toBe(`${ELLIPSIS} ${five.slice(1, 4).join(' ')}`);
  });

  it('quotes the whole text as one sentence when the passage has no sentence spans', async () => {
    const unsplit = { ...passageOf('Tehran denied it. Iran said so.'), sentences: [] };
    expect(selectQuote(unsplit, on('Iran'), 400)).toMatchObject({ text: unsplit.text, highlight: unsplit.text });
  });
});

describe('a sentence longer than maxChars', () => {
  const filler = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');
  // One sentence of about 1,300 characters whose only question word sits in the middle.
  const long = `${filler(80, 'before')} the Khatibzadeh statement ${filler(80, 'after')}.`;
  const text = `Short first sentence. ${long} Short last sentence.`;
  const evidence = evidenceOf({ Khatibzadeh: [0, 3] });

  it('is cut around its first question word, at word boundaries, within maxChars', async () => {
    const maxChars = 200;
    const quote = selectQuote(passageOf(text), evidence, maxChars);
    const { highlight } = quote;
    expect(highlight).toContain('Khatibzadeh');
    expect(highlight.length).toBeLessThanOrEqual(maxChars);
    expect(highlight.length).toBeGreaterThan(maxChars - 20);
    expect(quote.text).toBe(`${ELLIPSIS} ${highlight} ${ELLIPSIS}`);
    // Whole words: the cut falls next to spaces, never inside a word.
    const at = text.indexOf(highlight);
    expect(at).toBeGreaterThan(0);
    expect(text[at - 1]).toBe(' ');
    expect(text[at + highlight.length]).toBe(' ');
    expect(highlight).toMatch(/^\S.*\S$/);
    // The question word is in the first half of the cut, with context before it.
    const word = highlight.indexOf('Khatibzadeh');
    expect(word).toBeGreaterThan(maxChars / 8);
    expect(word).toBeLessThan(maxChars / 2);
  });

  it('is cut from its start when the question word is near the start', async () => {
    const early = `Khatibzadeh said ${filler(150, 'word')}.`;
    const quote = selectQuote(passageOf(early), evidence, 200);
    expect(quote.highlight.startsWith('Khatibzadeh said word0 word1')).toBe(true);
    expect(quote.text).toBe(`${quote.highlight} ${ELLIPSIS}`);
    expect(quote.highlight.length).toBeLessThanOrEqual(200);
  });

  it('is cut to its end when the question word is near the end', async () => {
    const late = `${filler(150, 'word')} said Khatibzadeh.`;
    const quote = selectQuote(passageOf(late), evidence, 200);
    expect(quote.highlight.endsWith('word149 said Khatibzadeh.')).toBe(true);
    expect(quote.text).toBe(`${ELLIPSIS} ${quote.highlight}`);
    expect(quote.highlight.length).toBeLessThanOrEqual(200);
  });
});

describe('quotes of the seed corpus', async () => {
  const { documents } = await loadCorpus(SEEDS_DIR, 1_000_000);
  let nextId = 0;
  const passages = documents.flatMap((document) =>
    chunkDocument(document, { maxTokens: 256, minTokens: 36, countTokens: wordCount }).passages.map((draft): Passage => ({ ...draft, id: nextId++ })),
  );
  const lexical = new Bm25Index();
  for (const passage of passages) lexical.add(passage.id, passage.text);
  const corpus = { terms: lexical, hasPhrase: async (terms: readonly string[]) => phraseInMemory({ lexical, textOf: (id) => passages[id]?.text }, terms) };
  const questions = await readEvalQuestions(path.join(PROJECT_ROOT, 'eval/paraphrase-dev.jsonl'));

  it('are verbatim: every piece between ellipses is a substring of the passage, within maxChars', async () => {
    let checked = 0;
    for (const { question } of questions) {
      const terms = (await analyzeQuestion(question, corpus, defaultBridges(), { bridgeWeight: 0.5 }));
      for (const hit of lexical.search(terms.query, 3)) {
        const passage = passages[hit.id]!;
        for (const maxChars of [80, 150, 400]) {
          const quote = selectQuote(passage, terms.evidence, maxChars);
          for (const piece of piecesOf(quote)) expect(passage.text).toContain(piece);
          expect(quote.text).toContain(quote.highlight);
          // One verbatim slice, with an ellipsis exactly on each side where the passage goes on.
          const leading = quote.text.startsWith(`${ELLIPSIS} `);
          const trailing = quote.text.endsWith(` ${ELLIPSIS}`);
          const slice = quote.text.slice(leading ? 2 : 0, trailing ? -2 : undefined);
          const at = passage.text.indexOf(slice);
          expect(at).toBeGreaterThanOrEqual(0);
          expect(slice.length).toBeLessThanOrEqual(maxChars);
          expect(leading).toBe(at > 0);
          expect(trailing).toBe(at + slice.length < passage.text.length);
          expect(slice).toContain(quote.highlight);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});
