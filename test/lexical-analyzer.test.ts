import { describe, expect, it } from 'vitest';
import { analyze, analyzeToken, analyzeWithOffsets } from '../src/lexical/analyzer.js';
import { ENGLISH_STOP_WORDS } from '../src/lexical/stop-words.js';

describe('analyze', () => {
  it('lower-cases, drops stop words and Porter-stems', () => {
    expect(analyze('The Running of the Studies is NOT over')).toEqual(['run', 'studi', 'over']);
  });

  it('keeps repeated terms so BM25 sees term frequencies', () => {
    expect(analyze('cells, cell and CELL')).toEqual(['cell', 'cell', 'cell']);
  });

  it('strips English possessives and folds other apostrophes into the word', () => {
    expect(analyze('Iran’s programme')).toEqual(['iran', 'programm']);
    expect(analyze("Iran's")).toEqual(['iran']);
    expect(analyze("don't O'Neill")).toEqual(['dont', 'oneil']);
    // A trailing apostrophe (plural possessive) and quotation marks are not part of the word.
    expect(analyze("students' 'quoted' ‘words’")).toEqual(['student', 'quot', 'word']);
  });

  it('splits on hyphens and punctuation but keeps digits, alone or inside words', () => {
    expect(analyze('0-dimensional IL-6 p53 in the 1990s')).toEqual(['0', 'dimension', 'il', '6', 'p53', '1990']);
    expect(analyze('e.g. x_y/z')).toEqual(['e', 'g', 'x', 'y', 'z']);
  });

  it('applies NFKC, so ligatures, full-width and superscript forms match their plain spelling', () => {
    expect(analyze('ﬁsh Ｆｕｌｌ m²')).toEqual(analyze('fish Full m2'));
  });

  it('leaves non-English words unstemmed rather than mangling them', () => {
    expect(analyze('Café naïve Straße')).toEqual(['café', 'naïve', 'straße']);
  });

  it('returns nothing for empty, punctuation-only or stop-word-only text', () => {
    expect(analyze('')).toEqual([]);
    expect(analyze(' -- !? ')).toEqual([]);
    expect(analyze('to be or not to be')).toEqual([]);
  });

  it('uses Lucene’s 33-word English stop set', () => {
    expect(ENGLISH_STOP_WORDS.size).toBe(33);
    expect(analyze('what about which')).toEqual(['what', 'about', 'which']);
  });
});

describe('analyzeWithOffsets', () => {
  it('locates each term’s word in the original text, even when normalisation changes its length', () => {
    const text = 'The ﬁsh’s running';
    const tokens = analyzeWithOffsets(text);
    expect(tokens.map((t) => t.term)).toEqual(['fish', 'run']);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual(['ﬁsh’s', 'running']);
  });

  it('produces exactly the terms of analyze', () => {
    const text = 'Microstructural development of human newborn cerebral white matter, 2.5 T MRI.';
    expect(analyzeWithOffsets(text).map((t) => t.term)).toEqual(analyze(text));
  });
});

describe('analyzeToken', () => {
  it('gives the term a single word contributes, or undefined for a stop word', () => {
    expect(analyzeToken('Running')).toBe('run');
    expect(analyzeToken('Iran’s')).toBe('iran');
    expect(analyzeToken('The')).toBeUndefined();
    expect(analyzeToken('—')).toBeUndefined();
  });
});
