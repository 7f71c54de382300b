import { analyze, analyzeToken, analyzeWithOffsets } from '../lexical/analyzer.js';
import type { SearchIndex } from '../index-store/search-index.js';
import type { Bm25Query, WeightedTerm } from '../lexical/bm25.js';
import type { Bridges } from '../lexical/bridges.js';
import { ACRONYM, acronymsOf } from './acronyms.js';

/**
 * What a question asks about, read against one index: the weighted lexical query (the user's
 * topic words, and below them the words the documents may use instead), the names it mentions,
 * and which of those names the corpus never mentions at all.
 */
export interface QuestionTerms {
  query: Bm25Query;
  /** Per analysed term of the query: the user's word it stands for (group) and its weight (boost · idf). */
  evidence: ReadonlyMap<string, { group: number; weight: number }>;
  /** Names (capitalised words, acronyms) as the user wrote them, with the groups of their words. */
  names: readonly NameMention[];
  /** The names no document mentions, under any word bridged to them: the corpus cannot answer. */
  notMentioned: readonly string[];
}

export interface NameMention {
  text: string;
  groups: readonly number[];
}

export interface QuestionTermsOptions {
  /** BM25 boost of a bridged word relative to the user's own (0: no bridging). */
  bridgeWeight: number;
  /**
   * Names found in the documents for acronyms of the question, keyed by the acronym as written
   * ("DHS" → "Department of Homeland Security", `acronyms.ts`): the acronym is then mentioned,
   * and each name's rarest word is bridged to it.
   */
  expansions?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Words that give a question its form, not its topic: interrogatives and the auxiliaries that
 * open or carry a question ("What did Harris condemn?", "Has Turkey tried…"). BM25 would
 * otherwise match them in passages that merely use them ("which would favor", "likely why"), and
 * they would dilute term coverage. Removed from what is matched lexically only; the embedding
 * model reads the question as asked.
 */
const QUESTION_FORM_WORDS =
  /^(?:what|which|who|whom|whose|when|where|why|how|do|does|did|is|are|was|were|has|have|had|can|could|would|should|may|might)$/iu;

export function isQuestionFormWord(word: string): boolean {
  return QUESTION_FORM_WORDS.test(word);
}
/**
 * Names as news and documentation write them: a capitalised word ("Venezuela", "Haines"), one
 * whose capitals join words ("OpenAI", "DeSantis", "YouTube") or an acronym ("CIA", "NSA",
 * "EMAs"). Codes that mix letters and digits, start in lower case or end in a lone capital
 * ("PGE2", "FoxO3a", "p150n", "mTOR", "UreB", "IgG") are left out: technical text spells them in
 * many ways ("B12", "B(12)", "cobalamin"), so their absence says little. Numbers are left out for
 * the same reason. A single letter is a piece of an abbreviation ("U.S."), not a name.
 */
// Each part is one capital, or an acronym of three or more, before lower case, and an acronym may
// end the word: one way to read any word, so matching stays linear ("AbAAAA…A't" backtracked
// exponentially in a form that let an acronym split several ways).
const PROPER_NAME = /^\p{Lu}[\p{Ll}\p{M}]+(?:\p{Lu}(?:\p{Lu}{2,})?[\p{Ll}\p{M}]+)*(?:\p{Lu}{2,})?(?:['\u2019]s)?$/u;
const CAPITALISED = /^\p{Lu}/u;
// A word right after these (or at the very start) is capitalised by position, not because it is a name.
// Not after "(": what opens a parenthesis is mostly a name or abbreviation ("X (Twitter)", "(IRGC)"),
// unless the parenthesis holds a phrase opening on a common word ("(Please answer briefly)").
const SENTENCE_START = /(?:^|[.!?:;"“]\s*)$/u;
const AFTER_OPENING_PARENTHESIS = /\(\s*$/u;
// The shortest stem whose longer or shorter indexed forms count as the same name.
const MIN_PREFIX = 4;
// How far an indexed word may run past a name's stem and still be that name inflected:
// "america" → "american", "congress" → "congressional", "republ" → "republican". A lenient
// rule ("mali" also finds "malicious") because declining an answerable question costs more
// than answering one the documents merely come close to.
const MAX_INFLECTION = 4;
const POSSESSIVE = /['\u2019]s$/u;
// Joins the pieces of a compound ("B3-Galectin", "PD-1+Eomes"), not words separated by spaces or punctuation.
const COMPOUND_CHARACTER = /[\p{L}\p{N}\p{M}\-+/'\u2019]/u;
// Only stop words can stand between two name words without being words of the question themselves.
const NAME_GAP = /^['\u2019]?\s+(?:(?:of|the)\s+)*$/u;

interface Word {
  raw: string;
  term: string;
  start: number;
  end: number;
  isName: boolean;
}

/** The text joined to `question[start, end)` without a space: "B3-Galectin", "PD-1+Eomes+CD8", "Iran's". */
function compoundAround(question: string, start: number, end: number): string {
  let from = start;
  let to = end;
  while (from > 0 && COMPOUND_CHARACTER.test(question[from - 1]!)) from--;
  while (to < question.length && COMPOUND_CHARACTER.test(question[to]!)) to++;
  return question.slice(from, to);
}

// Two capitals in one word: an abbreviation ("CAFs", "Rho-GDI"), not a word written with a capital ("Twitter").
const ABBREVIATION = /\p{Lu}[\p{L}\p{N}\-]*\p{Lu}/u;

/**
 * Whether `question[start, …)` is inside parentheses that define a term: an abbreviation of the
 * words before it ("fibroblasts (CAFs)"), or the words an acronym before them stands for ("RLS
 * (replicative life span)"). Parentheses that give another name ("X (Twitter)") define nothing:
 * both names are the question's.
 */
function inDefiningParentheses(question: string, start: number): boolean {
  const open = question.lastIndexOf('(', start);
  if (open < 0 || question.lastIndexOf(')', start) > open) return false;
  const close = question.indexOf(')', start);
  if (close < 0) return false;
  const before = /(\S+)\s*$/u.exec(question.slice(0, open))?.[1] ?? '';
  return ABBREVIATION.test(question.slice(open + 1, close)) || ACRONYM.test(before);
}

/** What tells names from common words: WordNet, through `Bridges`. */
export type NameLexicon = Pick<Bridges, 'isOnlyAName' | 'isCommonWord'>;

/** Whether `question[start, …)` opens a parenthesis holding a phrase, on a common word: "(Please answer briefly)". */
function opensParentheticalPhrase(question: string, start: number, end: number, lexicon: NameLexicon): boolean {
  if (!AFTER_OPENING_PARENTHESIS.test(question.slice(0, start))) return false;
  const close = question.indexOf(')', end);
  const inside = question.slice(start, close < 0 ? question.length : close);
  return /\s/u.test(inside.trim()) && lexicon.isCommonWord(question.slice(start, end));
}

/**
 * The question's words, and which are names: written as one mid-sentence, or known only as a
 * name however they are written ("is venezuela meddling?", "Venezuela meddled?").
 */
function wordsOf(question: string, lexicon: NameLexicon): Word[] {
  const analysed = analyzeWithOffsets(question);
  // What the question defines itself ("cancer-associated fibroblasts (CAFs)", "RLS (replicative life
  // span)", "inhibitor (Rho-GDI)") names nothing new, wherever it is used again ("… of CAFs").
  const defined = new Set(
    analysed
      .filter(({ start, end }) => inDefiningParentheses(question, start) || (ACRONYM.test(question.slice(start, end)) && /^\s*\(/u.test(question.slice(end))))
      .map(({ term }) => term),
  );
  const all = analysed.map(({ term, start, end }) => {
    const raw = question.slice(start, end);
    const positional = SENTENCE_START.test(question.slice(0, start)) || opensParentheticalPhrase(question, start, end, lexicon);
    // A word joined to a code is part of the code ("B3-Galectin", "HHV-8", "Wingless-Int-1").
    const inCode = /\p{N}/u.test(compoundAround(question, start, end));
    const writtenAsName = !positional && (PROPER_NAME.test(raw) || ACRONYM.test(raw));
    // ("Who" opening a question is not the World Health Organization.)
    const knownAsName = (positional || !CAPITALISED.test(raw)) && !isQuestionFormWord(raw) && lexicon.isOnlyAName(raw.replace(POSSESSIVE, ''));
    const isName = !inCode && (writtenAsName || knownAsName);
    return { raw, term, start, end, isName: isName && !defined.has(term) };
  });
  // A form word written as a name is one ("Theresa May").
  const topic = all.filter((word) => word.isName || !isQuestionFormWord(word.raw));
  return topic.length > 0 ? topic : all;
}

/** Whether the documents use a shorter form of `term` ("foxo3" for "foxo3a", "korea" for "koreas"). */
function indexedPrefixOf(term: string, indexed: (term: string) => boolean): boolean {
  for (let length = term.length - 1; length >= MIN_PREFIX + 1 && length >= term.length - 2; length--) {
    if (indexed(term.slice(0, length))) return true;
  }
  return false;
}

/**
 * Consecutive name words form one name: separated by spaces ("North Korea", "Avril Haines"), a
 * plural possessive's apostrophe ("Students' News Agency") or "of"/"the" ("Voice of America").
 * A possessive ends a name: "Google's Threat Analysis Group" names Google, then its group.
 */
function nameRuns(question: string, words: readonly Word[]): Word[][] {
  const runs: Word[][] = [];
  let previous: Word | undefined;
  for (const word of words) {
    if (word.isName) {
      const continues =
        previous?.isName === true && !POSSESSIVE.test(previous.raw) && NAME_GAP.test(question.slice(previous.end, word.start));
      if (continues) runs.at(-1)!.push(word);
      else runs.push([word]);
    }
    previous = word;
  }
  return runs;
}

/** What the question is read against: the corpus' term statistics, and its passages for phrases. */
export type QuestionCorpus = Pick<SearchIndex, 'terms' | 'hasPhrase'>;

export async function analyzeQuestion(question: string, corpus: QuestionCorpus, bridges: Bridges, options: QuestionTermsOptions): Promise<QuestionTerms> {
  const { terms: lexical } = corpus;
  const words = wordsOf(question, bridges);
  const groupOf = new Map<string, number>();
  const weighted: WeightedTerm[] = [];
  for (const { term } of words) {
    if (!groupOf.has(term)) groupOf.set(term, groupOf.size);
    weighted.push({ term, boost: 1, group: groupOf.get(term)! });
  }
  const indexed = (term: string | undefined): boolean => term !== undefined && lexical.documentFrequency(term) > 0;
  // Another name for it counts when the documents use it: a synonym ("Republican Party" for "GOP",
  // as a phrase), a capital for its country or the reverse (news says "Tehran" for Iran).
  const inflectionsOf = (word: Word): string[] =>
    word.term.length >= MIN_PREFIX ? lexical.termsExtending(word.term, MAX_INFLECTION) : [];
  const bridgedIsIndexed = async (text: string) => {
    for (const { word: bridged } of bridges.of(text)) {
      const terms = analyze(bridged);
      if (terms.length > 0 && (await corpus.hasPhrase(terms))) return true;
    }
    return false;
  };
  const expansionOf = (word: Word) => options.expansions?.get(word.raw.replace(POSSESSIVE, ''));
  const isMentioned = async (word: Word): Promise<boolean> =>
    expansionOf(word) !== undefined ||
    indexed(word.term) ||
    inflectionsOf(word).length > 0 ||
    indexedPrefixOf(word.term, indexed) ||
    (await bridgedIsIndexed(word.raw.replace(POSSESSIVE, '')));

  // A name the documents only use inflected ("American" for "America") is searched as they write it:
  // the same word, so at full weight and in its group, and "Missing:" then agrees with the decline rule.
  for (const word of words) {
    if (!word.isName || indexed(word.term)) continue;
    for (const term of inflectionsOf(word)) {
      if (!groupOf.has(term)) weighted.push({ term, boost: 1, group: groupOf.get(word.term)! });
    }
  }

  if (options.bridgeWeight > 0) {
    const bridged = new Set<string>();
    // An acronym's name is bridged by its rarest word ("homeland" of "Department of Homeland
    // Security"): any of its words would let every passage with "security" hold "DHS".
    for (const word of words) {
      const expansions = expansionOf(word);
      if (!word.isName || expansions === undefined) continue;
      for (const name of expansions) {
        const rarest = analyze(name)
          .filter(indexed)
          .reduce<string | undefined>((best, term) => (best === undefined || lexical.idf(term) > lexical.idf(best) ? term : best), undefined);
        if (rarest === undefined || groupOf.has(rarest) || bridged.has(rarest)) continue;
        bridged.add(rarest);
        weighted.push({ term: rarest, boost: options.bridgeWeight, group: groupOf.get(word.term)! });
      }
    }
    // Bridged: names (the documents may say "Havana" for "Cuba") and words the documents never use.
    // A common word the documents do use is matched as written: its synonyms mostly bring noise
    // ("received" → "obtain"), and bridging every word measured no better (README, "Bridging").
    for (const word of words) {
      if (!word.isName && indexed(word.term)) continue;
      const group = groupOf.get(word.term)!;
      for (const { word: other } of bridges.of(word.raw.replace(POSSESSIVE, ''))) {
        if (/[\s_]/u.test(other)) continue;
        const term = analyzeToken(other);
        if (term === undefined || groupOf.has(term) || bridged.has(term) || !indexed(term)) continue;
        bridged.add(term);
        weighted.push({ term, boost: options.bridgeWeight, group });
      }
    }
  }

  const evidence = new Map<string, { group: number; weight: number }>();
  for (const { term, boost, group } of weighted) {
    if (!evidence.has(term)) evidence.set(term, { group, weight: boost * lexical.idf(term) });
  }

  const names: NameMention[] = [];
  const notMentioned: string[] = [];
  for (const run of nameRuns(question, words)) {
    const textOf = (from: Word, to: Word) => question.slice(from.start, to.end).replace(POSSESSIVE, '');
    names.push({ text: textOf(run[0]!, run.at(-1)!), groups: run.map((word) => groupOf.get(word.term)!) });
    // The last word carries a name ("Korea" of "North Korea", a surname): the documents may say
    // "Biden" where the question says "Joe Biden", but not "North" for North Korea. A name of several
    // words may also be known as a whole ("Garden State" is New Jersey) or by its initials.
    if (await isMentioned(run.at(-1)!)) continue;
    const whole = textOf(run[0]!, run.at(-1)!);
    if (acronymsOf(whole).some(indexed) || (run.length > 1 && (await bridgedIsIndexed(whole)))) continue;
    const missing: Word[] = [];
    for (const word of run) if (!(await isMentioned(word))) missing.push(word);
    notMentioned.push(textOf(missing[0]!, missing.at(-1)!));
  }

  return { query: lexical.prepareTerms(weighted, groupOf.size), evidence, names, notMentioned };
}
