import { analyzeToken } from '../lexical/analyzer.js';
import { SENTENCE_OPENER } from '../lexical/sentence-openers.js';

/**
 * Acronyms and the names they stand for, both ways: a question may say "Iranian Students' News
 * Agency" where the documents say "ISNA", or "DHS" where they say "Department of Homeland
 * Security". Read from the text as written, since WordNet knows few organisations' initials.
 */

const CAPITALISED = /^\p{Lu}/u;
/** An acronym as a question writes it: "CIA", "NSA's", "EMAs". */
export const ACRONYM = /^\p{Lu}{2,6}(?:s|['\u2019]s)?$/u;
// A capitalised word, or a particle inside a name ("Voice of America", "Office of the Director").
const NAME_WORD = /\p{Lu}[\p{L}\p{M}'\u2019]*|\b(?:of|the|for|on)\b/gu;
const PARTICLE = /^(?:of|the|for|on)$/u;
// Only spaces or a hyphen may stand between the words of one name.
const NAME_GAP = /^[\s-]+$/u;
const LONGEST_ACRONYM = 6;

const wordsOf = (name: string): string[] => name.split(/[\s-]+/u).filter((word) => word !== '');

/** The initials of a name's words, all of them and its capitalised ones ("Voice of America" → "voa", "va"). */
function initialsOf(name: string): string[] {
  const words = wordsOf(name);
  const initials = (kept: string[]) => kept.map((word) => word[0]!.toLowerCase()).join('');
  return [initials(words), initials(words.filter((word) => CAPITALISED.test(word)))];
}

/**
 * The acronyms of a name of several words, analysed as the index analyses words ("Iranian
 * Students' News Agency" → "isna"), to look up in its terms.
 */
export function acronymsOf(text: string): string[] {
  if (wordsOf(text).length < 2) return [];
  return initialsOf(text).flatMap((initials) => analyzeToken(initials) ?? []);
}

/**
 * The runs of capitalised words in `text`, particles inside them kept ("Vice President Kamala
 * Harris", "Department of Homeland Security"), each as its words. A word capitalised only because
 * it opens a sentence is not part of one ("As Israel pressed…" is no "AI").
 */
function runsIn(text: string): RegExpExecArray[][] {
  const runs: RegExpExecArray[][] = [];
  let run: RegExpExecArray[] = [];
  const close = () => {
    while (run.length > 0 && PARTICLE.test(run.at(-1)![0])) run.pop();
    if (run.length >= 2) runs.push(run);
    run = [];
  };
  for (const word of text.matchAll(NAME_WORD)) {
    const previous = run.at(-1);
    if (previous === undefined || !NAME_GAP.test(text.slice(previous.index + previous[0].length, word.index))) close();
    if (run.length === 0 && (PARTICLE.test(word[0]) || SENTENCE_OPENER.test(word[0]))) continue;
    run.push(word);
  }
  close();
  return runs;
}

/**
 * Every name of two to `maxWords` words inside a run: a title and a name run together ("Vice
 * President Kamala Harris"). Bounded, as a heading or a list of names runs on for many words.
 */
function namesIn(text: string, maxWords: number): string[] {
  const names: string[] = [];
  for (const run of runsIn(text)) {
    for (let from = 0; from < run.length; from++) {
      if (PARTICLE.test(run[from]![0])) continue;
      for (let to = from + 1; to < run.length && to - from < maxWords; to++) {
        if (!PARTICLE.test(run[to]![0])) names.push(text.slice(run[from]!.index, run[to]!.index + run[to]![0].length));
      }
    }
  }
  return names;
}

/**
 * For each acronym (as the question writes it), the names in `texts` whose initials spell it:
 * "DHS" → "Department of Homeland Security"; "VP" → "Vice President" and, where the texts have
 * him, "Vladimir Putin": nothing in the letters tells them apart. A plural acronym ("EMAs") is
 * looked for without its "s".
 */
export function expansionsIn(texts: Iterable<string>, acronyms: readonly string[]): Map<string, string[]> {
  const wanted = new Map<string, string>();
  for (const acronym of acronyms) {
    const key = acronym.replace(/['\u2019]?s$/u, '').toLowerCase();
    if (key.length >= 2 && key.length <= LONGEST_ACRONYM) wanted.set(key, acronym);
  }
  // The initials of the words between particles: a name of n letters has at most 2n words.
  const maxWords = 2 * Math.max(0, ...[...wanted.keys()].map((key) => key.length));
  const found = new Map<string, Set<string>>();
  for (const text of texts) {
    for (const name of namesIn(text, maxWords)) {
      // Unstemmed: the index's analysis would read "DHS" as "dh".
      for (const initials of new Set(initialsOf(name))) {
        const acronym = wanted.get(initials);
        if (acronym === undefined) continue;
        if (!found.has(acronym)) found.set(acronym, new Set());
        found.get(acronym)!.add(name);
      }
    }
  }
  return new Map([...found].map(([acronym, names]) => [acronym, [...names]]));
}
