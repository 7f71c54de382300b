import { describe, expect, it } from 'vitest';
import { wordCount } from '../src/corpus/line-kinds.js';
import { splitLines } from '../src/corpus/lines.js';
import { loadCorpus } from '../src/corpus/load-corpus.js';
import type { SourceDocument } from '../src/corpus/document.js';
import { chunkDocument, type ChunkingOptions } from '../src/passages/chunk.js';
import { splitSentences } from '../src/passages/sentences.js';
import { SEEDS_DIR, testEmbedder } from './helpers/workspace.js';

// Words are a fair stand-in for tokens here; the real tokenizer is used in the index tests.
const options: ChunkingOptions = { maxTokens: 90, minTokens: 25, countTokens: wordCount };

function documentOf(source: string, text: string): SourceDocument {
  return { source, title: source, url: null, text, hash: 'x', bytes: text.length, lines: splitLines(text), extractor: 'text@1', blocks: null };
}

describe('sentences', () => {
  it('splits at sentence ends but not after abbreviations or initials', () => {
    const text = 'Mr. Smith met U.S. officials on Tuesday. He said “no.” Then he left! Dr. J. Doe stayed.';
    expect(splitSentences(text).map((span) => text.slice(span.start, span.end))).toEqual([
      'Mr. Smith met U.S. officials on Tuesday.',
      'He said “no.”',
      'Then he left!',
      'Dr. J. Doe stayed.',
    ]);
  });

  it('reads hard-wrapped lines as one sentence', () => {
    const text = 'The officials said the campaign\nwas traced to three operatives. A second sentence.';
    expect(splitSentences(text).map((span) => text.slice(span.start, span.end))).toEqual([
      'The officials said the campaign\nwas traced to three operatives.',
      'A second sentence.',
    ]);
  });
});

describe('passages of the seed corpus', async () => {
  const { documents } = await loadCorpus(SEEDS_DIR, 1_000_000);

  it('are verbatim slices of their file, with exact spans and line numbers', () => {
    for (const document of documents) {
      const { passages } = chunkDocument(document, options);
      expect(passages.length).toBeGreaterThan(0);
      const fileLines = document.text.split('\n');
      for (const passage of passages) {
        expect(document.text.slice(passage.start, passage.end)).toBe(passage.text);
        const cited = fileLines.slice(passage.lineStart - 1, passage.lineEnd).join('\n');
        expect(cited).toContain(passage.text);
        expect(fileLines[passage.lineStart - 1]).toContain(passage.text.split('\n')[0]);
      }
    }
  });

  it('begin and end on sentence boundaries and stay within the size limit', () => {
    for (const document of documents) {
      for (const passage of chunkDocument(document, options).passages) {
        const sentences = splitSentences(document.text, passage.start, passage.end);
        expect(sentences[0]!.start).toBe(passage.start);
        expect(sentences.at(-1)!.end).toBe(passage.end);
        expect(/[.!?…]["'”’)\]]*$/u.test(passage.text)).toBe(true);
        if (passage.sentences.length > 1) expect(wordCount(passage.text)).toBeLessThanOrEqual(options.maxTokens);
      }
    }
  });

  it('leave boilerplate out', () => {
    const all = documents.flatMap((document) => chunkDocument(document, options).passages.map((p) => p.text)).join('\n');
    for (const boilerplate of ['JOIN US ON TELEGRAM', 'Ctrl + Enter', 'Recent Comments', '{Matzav.com}', 'https://arab.news', '@Kyivpost_official']) {
      expect(all).not.toContain(boilerplate);
    }
  });

  it('index a repeated paragraph once', () => {
    const repeated = documents.find((document) => document.source.startsWith('003_'))!;
    const { passages, duplicates } = chunkDocument(repeated, options);
    expect(duplicates).toBe(1);
    expect(passages.filter((passage) => passage.text.includes('Cyber Army'))).toHaveLength(1);
  });
});

describe('sizing', () => {
  it('splits a long paragraph at sentences into balanced passages', () => {
    const sentence = (i: number) => `Sentence number ${i} has exactly eight words here.`;
    const text = Array.from({ length: 20 }, (_, i) => sentence(i)).join(' ');
    const { passages } = chunkDocument(documentOf('long.txt', text), options);
    expect(passages).toHaveLength(2);
    expect(passages.map((p) => wordCount(p.text))).toEqual([80, 80]);
    expect(passages[1]!.start).toBe(text.indexOf(sentence(10)));
  });

  it('cuts a sentence longer than the limit at word boundaries into passages that fit', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`);
    const text = `Intro sentence here. ${words.join(' ')} end.`;
    const { passages } = chunkDocument(documentOf('run-on.txt', text), options);
    expect(passages.length).toBeGreaterThanOrEqual(3);
    for (const passage of passages) {
      expect(wordCount(passage.text)).toBeLessThanOrEqual(options.maxTokens);
      expect(passage.text).toBe(text.slice(passage.start, passage.end));
      // Cut between words, never inside one.
      expect(passage.text).toMatch(/^(Intro|word\d+)/);
      expect(passage.text).toMatch(/(word\d+|end\.)$/);
    }
    expect(passages.map((passage) => passage.text).join(' ')).toBe(text);
  });

  it('indexes a multi-megabyte sentence with the real tokenizer, within the model limit', async () => {
    const embedder = await testEmbedder();
    // Two megabytes with one full stop at the end, and a stretch with no space at all in it.
    const syllables = ['ka', 'lo', 'mi', 'ren', 'tus', 'vor', 'an', 'el', 'is', 'om', 'pra', 'dex'];
    let state = 7;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const parts: string[] = [];
    for (let length = 0; length < 2_000_000; ) {
      const word = Array.from({ length: 1 + Math.floor(next() * 3) }, () => syllables[Math.floor(next() * 12)]).join('');
      parts.push(word);
      length += word.length + 1;
    }
    const text = `Report. ${parts.join(' ')}${'x'.repeat(50_000)} end.`;
    const chunking = { maxTokens: embedder.maxTokens, minTokens: 36, countTokens: (t: string) => embedder.countTokens(t) };
    const { passages } = chunkDocument(documentOf('run-on.txt', text), chunking);
    expect(passages.length).toBeGreaterThan(100);
    for (const passage of passages) {
      expect(embedder.countTokens(passage.text)).toBeLessThanOrEqual(embedder.maxTokens);
      expect(passage.text).toBe(text.slice(passage.start, passage.end));
    }
  }, 120_000);

  it('merges a tiny paragraph into its neighbour, but never across text left out', () => {
    const text = [
      'A short line here.',
      'This paragraph is long enough to stand on its own as a passage because it has many words in it, more than twenty-five.',
      'JOIN US ON TELEGRAM',
      'Tiny after boilerplate.',
    ].join('\n');
    const { passages } = chunkDocument(documentOf('merge.txt', text), options);
    expect(passages.map((p) => [p.text.split('\n').length, p.lineStart, p.lineEnd])).toEqual([
      [2, 1, 2],
      [1, 4, 4],
    ]);
    expect(passages[0]!.paragraphStart).toBe(1);
    expect(passages[0]!.paragraphEnd).toBe(2);
  });

  it('joins hard-wrapped Markdown paragraphs and numbers paragraphs as a reader counts them', () => {
    const text = '# Title\n\nFirst paragraph wraps\nonto a second line. It ends here.\n\nSecond paragraph is a single line with enough words to stand alone as a passage of its own, really.\n';
    const { passages } = chunkDocument(documentOf('doc.md', text), { ...options, minTokens: 5 });
    expect(passages.map((p) => [p.text, p.paragraphStart, p.lineStart, p.lineEnd])).toEqual([
      ['First paragraph wraps\nonto a second line. It ends here.', 2, 3, 4],
      ['Second paragraph is a single line with enough words to stand alone as a passage of its own, really.', 3, 6, 6],
    ]);
  });
});
