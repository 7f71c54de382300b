import { analyze, analyzeWithOffsets } from '../lexical/analyzer.js';
import type { Span } from '../passages/sentences.js';
import { isQuestionFormWord } from './question-terms.js';

/**
 * The kind of answer a question asks for, where its wording says so plainly, and whether a text
 * can hold such an answer at all (the "expected answer type" of question answering systems).
 * Three kinds are checked: "How many…?" (and "how much <thing>…?") is answered by a number
 * stated with what it counts, "On which day…?" by a date that names a day, and "Who is the
 * <role>…?" by a name given for the role's holder (`role-holder.ts`). A passage without one
 * cannot answer however close its topic is. Other questions ("when", "who did…") are answered in
 * too many shapes to check without a parser. "One" is left out of the number words: text uses it
 * far more often as a pronoun ("one official", "no one") than as a count.
 */

/** A text with its sentences located (a passage holds them), so that a count is read with what it counts. */
export interface SentencedText {
  text: string;
  sentences: readonly Span[];
}

/** Whether a text can hold the kind of answer the question asks for. */
export type AnswerCheck = (text: SentencedText) => boolean;

/** The kinds of answer a question's wording asks for that are checked. */
export type AskedFor = 'count' | 'day' | 'name' | 'words';

/** What the checks ask of the lexicon (WordNet through `Bridges`). */
export interface AnswerLexicon {
  /** The words the documents may use for a word of the question (its synonyms), analysed. */
  synonymTerms(word: string): readonly string[];
  /** Whether a noun can be measured out ("aid", "money", "damage"), not only had by degree ("influence"). */
  isAmountNoun(word: string): boolean;
}

type Alternatives = AnswerLexicon['synonymTerms'];

const HOW_MANY = /\bhow\s+many\b/iu;
// "How much aid…?" asks for an amount, as "how many" for a count, when what follows can be
// measured out (`AnswerLexicon.isAmountNoun`): "how much influence…" is had by degree, and "how
// much more…", "how much of…", "how much has it grown…" may be answered in words ("threefold",
// "most of it"), unless they ask what was paid or cost.
const HOW_MUCH_THEN_WORDS =
  /\bhow\s+much\s+(?!(?:more|less|longer|further|farther|better|worse|of|do|does|did|is|are|was|were|has|have|had|can|could|would|should|will|may|might|he|she|it|they|we|you|i|this|that|these|those|there)\b)((?:\p{L}+\s+){0,2}\p{L}+)/iu;
// "How much was he paid?", "how much did it cost?": an amount of money, whatever comes between.
const HOW_MUCH_MONEY =
  /\bhow\s+much\s+(?:do|does|did|is|are|was|were|has|have|had|can|could|would|will|might)\b.*\b(?:cost|costs|costing|pay|pays|paid|spend|spends|spent|worth|owe|owes|owed|earn|earns|earned|charge|charged)\b/iu;
const AMOUNT_ASKED = /\bhow\s+(?:many|much)\b/iu;
const NUMBER_WORD =
  'two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?';
// A number word, a multiple ("twice", "threefold", "10-fold").
const COUNT_WORDS = new RegExp(`\\b(?:(?:${NUMBER_WORD})(?:-?fold)?|\\d+-?fold|twice|double|triple)\\b`, 'giu');
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
export const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
// Numbers that are dates, not counts: a day after or before a month name, a year where a year
// stands (after a month or "in", "since", "by"…; after "the" or a possessive, a year of the last
// two centuries: "Russia's 2022 invasion"; "1990s"), but not "1500 people" or "the 1500 soldiers".
const YEAR = '(?:1[0-9]|20)\\d\\d';
// After "the" or a possessive only a recent year: "the 2020 election", but "the 1500 soldiers".
const RECENT_YEAR = '(?:19|20)\\d\\d';
const DATE_NUMBER = new RegExp(
  `\\b${MONTH}\\s+\\d{1,2}\\b|\\b\\d{1,2}\\s+${MONTH}\\b|\\b(?:${MONTH},?|in|since|by|of|from|until|till|before|after|during|year)\\s+${YEAR}\\b|(?:\\bthe\\s+|(?<=\\p{L}['\u2019]s\\s+))${RECENT_YEAR}\\b|(?<=\\d,\\s{0,3})${YEAR}\\b|\\b${YEAR}s\\b|\\b${YEAR}(?=\\s*[-–]\\s*\\d)|(?<=[-–]\\s*)${YEAR}\\b`,
  'giu',
);
const DIGITS = /\d+(?:[.,]\d+)*/gu;
const IS_COUNT_WORD = new RegExp(`^(?:${COUNT_WORDS.source})$`, 'iu');
// Words that say only that people or occasions are counted: the text often leaves them out
// ("12 were killed"), and "twelve people attended" does not answer "how many people were killed".
const GENERIC_COUNTED = new Set(['peopl', 'person', 'time', 'individu', 'number']);
const SHORTEST_COUNTED = 3;
const MAX_COUNTED = 2;

const ASKS_FOR_DAY = /\b(?:which|what)\s+(?:day|date)\b/iu;
// A date that names a day: "October 14", "14 October", "2024-10-14", or a weekday.
const DAY_DATE = new RegExp(`\\b(${MONTH})\\s+\\d{1,2}(?:st|nd|rd|th)?\\b|\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH})(?![\\p{L}])|\\b${YEAR}-(\\d\\d)-\\d\\d\\b`, 'giu');
const WEEKDAY = /\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b/iu;
// A month the question names, as a name: "May" the month, not "may" the verb.
const NAMED_MONTH = /\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b/gu;

function countsIn(text: string, given: ReadonlySet<string>): boolean {
  const counts = [...(text.replace(DATE_NUMBER, ' ').match(DIGITS) ?? []), ...(text.match(COUNT_WORDS) ?? []).map((word) => word.toLowerCase())];
  return counts.some((count) => !given.has(count));
}

/**
 * The terms of what "how many" counts: the topic words after it up to the question's verb ("how
 * many U.S. forces were killed" → forces; "how many votes did…" → votes), at most two ("how many
 * former officials…"), each with the words the documents may use for it. "How many were
 * killed" and "how many people were killed" count what the verb says.
 */
function countedTerms(question: string, alternatives: Alternatives): Set<string> {
  const after = AMOUNT_ASKED.exec(question)!;
  const specific = new Set<string>();
  const generic = new Set<string>();
  let words = 0;
  for (const { term, start, end } of analyzeWithOffsets(question)) {
    const raw = question.slice(start, end);
    if (start < after.index + after[0].length || term.length < SHORTEST_COUNTED || /^\d/u.test(term) || IS_COUNT_WORD.test(raw)) continue;
    if (isQuestionFormWord(raw)) {
      if (words > 0) break;
      continue;
    }
    const into = GENERIC_COUNTED.has(term) ? generic : specific;
    into.add(term);
    for (const other of alternatives(raw)) into.add(other);
    if (into === specific && ++words === MAX_COUNTED) break;
  }
  return specific.size > 0 ? specific : generic;
}

/**
 * "How many…?": some sentence states a count other than the numbers the question itself gives,
 * and what is counted is named in it or in the sentence before ("…including Mike Pompeo… Due to
 * these threats, all three individuals…"). A count elsewhere in the passage answers another
 * question: "How many were killed in the strike?" is not answered by "four groups".
 */
function countCheck(question: string, alternatives: Alternatives): AnswerCheck {
  const given = new Set([...(question.match(DIGITS) ?? []), ...(question.match(COUNT_WORDS) ?? []).map((word) => word.toLowerCase())]);
  const counted = countedTerms(question, alternatives);
  const names = (sentence: string) => analyze(sentence).some((term) => counted.has(term));
  return ({ text, sentences }) =>
    sentences.some(({ start, end }, i) => {
      if (!countsIn(text.slice(start, end), given)) return false;
      if (counted.size === 0) return true;
      const before = sentences[i - 1];
      return names(text.slice(start, end)) || (before !== undefined && names(text.slice(before.start, before.end)));
    });
}

const monthOf = (name: string): number => MONTH_NAMES.indexOf(name.slice(0, 3).toLowerCase()) + 1;

/** "On which day…?": the text names a day, in the month the question names if it names one. */
function dayCheck(question: string): AnswerCheck {
  const months = new Set([...question.matchAll(NAMED_MONTH)].map((match) => monthOf(match[0])));
  return ({ text }) => {
    for (const match of text.matchAll(DAY_DATE)) {
      const name = match[1] ?? match[2];
      const month = name !== undefined ? monthOf(name) : Number(match[3]);
      if (months.size === 0 || months.has(month)) return true;
    }
    return months.size === 0 && WEEKDAY.test(text);
  };
}

/** "How much <thing>…?" where the thing, the last word before the question's verb, can be measured out. */
function asksForAmountOf(question: string, lexicon: AnswerLexicon): boolean {
  const words = HOW_MUCH_THEN_WORDS.exec(question)?.[1]?.split(/\s+/u);
  if (words === undefined) return false;
  const formWord = words.findIndex((word) => isQuestionFormWord(word));
  const thing = (formWord < 0 ? words : words.slice(0, formWord)).at(-1);
  return thing !== undefined && lexicon.isAmountNoun(thing);
}

/** The check of what kind of answer the question asks for, or null when its wording does not say. */
export function answerCheckOf(question: string, lexicon: AnswerLexicon): { asks: Exclude<AskedFor, 'name' | 'words'>; holds: AnswerCheck } | null {
  const alternatives: Alternatives = (word) => lexicon.synonymTerms(word);
  if (HOW_MANY.test(question) || HOW_MUCH_MONEY.test(question) || asksForAmountOf(question, lexicon)) return { asks: 'count', holds: countCheck(question, alternatives) };
  if (ASKS_FOR_DAY.test(question)) return { asks: 'day', holds: dayCheck(question) };
  return null;
}
