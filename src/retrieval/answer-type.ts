import { analyze, analyzeToken, analyzeWithOffsets } from '../lexical/analyzer.js';
import type { Span } from '../passages/sentences.js';
import { isQuestionFormWord } from './question-terms.js';

/**
 * The kind of answer a question asks for, where its wording says so plainly, and whether a text
 * can hold such an answer at all (the "expected answer type" of question answering systems).
 * Three kinds are checked: "How many…?" is answered by a number stated with what it counts,
 * "On which day…?" by a date that names a day, and "Who is the <role>…?" by a name beside the
 * role. A passage without one cannot answer however close its topic is. Other questions ("when",
 * "who did…") are answered in too many shapes to check without a parser. "One" is left out of the number words: text uses it far more often as a
 * pronoun ("one official", "no one") than as a count.
 */

/** A text with its sentences located (a passage holds them), so that a count is read with what it counts. */
export interface SentencedText {
  text: string;
  sentences: readonly Span[];
}

/** Whether a text can hold the kind of answer the question asks for. */
export type AnswerCheck = (text: SentencedText) => boolean;

/** The kinds of answer a question's wording asks for that are checked. */
export type AskedFor = 'count' | 'day' | 'name';

/** The words the documents may use for a word of the question (its synonyms), analysed. */
export type Alternatives = (word: string) => readonly string[];

const HOW_MANY = /\bhow\s+many\b/iu;
const NUMBER_WORD =
  'two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?';
// A number word, a multiple ("twice", "threefold", "10-fold").
const COUNT_WORDS = new RegExp(`\\b(?:(?:${NUMBER_WORD})(?:-?fold)?|\\d+-?fold|twice|double|triple)\\b`, 'giu');
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
// Numbers that are dates, not counts: a day after or before a month name, a year where a year
// stands (after a month or "in", "since", "by"…; "1990s"), but not "1500 people".
const YEAR = '(?:1[0-9]|20)\\d\\d';
const DATE_NUMBER = new RegExp(
  `\\b${MONTH}\\s+\\d{1,2}\\b|\\b\\d{1,2}\\s+${MONTH}\\b|\\b(?:${MONTH},?|in|since|by|of|from|until|till|before|after|during|year)\\s+${YEAR}\\b|(?<=\\d,\\s{0,3})${YEAR}\\b|\\b${YEAR}s\\b|\\b${YEAR}(?=\\s*[-–]\\s*\\d)|(?<=[-–]\\s*)${YEAR}\\b`,
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
  const after = HOW_MANY.exec(question)!;
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

/** The check of what kind of answer the question asks for, or null when its wording does not say. */
export function answerCheckOf(question: string, alternatives: Alternatives): { asks: Exclude<AskedFor, 'name'>; holds: AnswerCheck } | null {
  if (HOW_MANY.test(question)) return { asks: 'count', holds: countCheck(question, alternatives) };
  if (ASKS_FOR_DAY.test(question)) return { asks: 'day', holds: dayCheck(question) };
  return null;
}

/**
 * "Who is the Swiss ambassador…?", "What is the name of the Pakistani man…?": the answer is a name
 * given with the role. News gives it beside the role word ("the Swiss ambassador, Markus Leitner";
 * "Saeed Khatibzadeh, Foreign Ministry spokesman"; "killed Qasem Soleimani, the IRGC's top
 * commander"), so a text that speaks of the role with no name beside it does not say who holds it.
 * Only the role after "who is the" or "name of" is read: "Who hacked…?" is answered by a country
 * as often as by a person, and "who is behind…" names no role.
 */
export interface RoleNameCheck {
  /** The role as the question words it ("Swiss ambassador", "three IRGC operatives"). */
  role: string;
  /** The text speaks of the role (its word, singular or plural). */
  speaksOfRole(text: SentencedText): boolean;
  /** Beside some mention of the role stands a name the question does not give. */
  namesRole(text: SentencedText): boolean;
}

// "Who is it targeting?" asks for the object of a verb, not for the holder of a role.
const ASKS_FOR_NAME = /\b(?:names?\s+of|who\s+(?:is|are|was|were)\s+the)\s+/iu;
// Words that end the role's noun phrase: what follows says which holder is meant ("the
// ambassador who chairs…", "the man charged over…", "the operatives behind…").
const ROLE_END =
  /^(?:who|whom|whose|that|which|behind|in|on|at|of|for|over|from|with|to|by|and|or|as|during|after|before|about|against|under|accused|said)$/iu;
const PARTICIPLE = /(?:ed|ing)$/iu;
const MAX_ROLE_WORDS = 5;
const WORD = /[\p{L}\p{N}]+(?:[-'\u2019.][\p{L}\p{N}]+)*/gu;
// What may stand between a role and its holder's name: "the ambassador, Markus Leitner", "a
// spokesman named Ali", "the leader of the Quds Force, Qasem Soleimani".
const BETWEEN_ROLE_AND_NAME = new Set(['the', 'a', 'an', 'of', 'named', 'called', 'as', 'is', 'was', 'mr', 'mrs', 'ms', 'dr']);
const CLAUSE_BREAK = /[;:!?]|\s[-–—]\s/u;
const APPOSITION = /[,()[\]]/u;
const MAX_NAME_DISTANCE = 6;
// Capitalised at the start of a sentence without being names.
const CAPITALISED_FUNCTION_WORD =
  /^(?:he|she|it|they|we|i|you|his|her|its|their|our|this|that|these|those|there|here|the|a|an|in|on|at|by|for|from|with|after|before|since|despite|during|while|when|where|why|how|what|which|who|but|and|or|so|yet|however|meanwhile|also|last|next|earlier|later|then|now|both|all|some|many|most|several|according|officials?|sources?)$/iu;
const CALENDAR_WORD = new RegExp(`^(?:${MONTH}|(?:mon|tues|wednes|thurs|fri|satur|sun)day)$`, 'iu');
const POSSESSIVE_END = /['\u2019]s?$/u;
const CAPITALISED = /^\p{Lu}/u;

interface Word {
  text: string;
  start: number;
  end: number;
}

/** The role's noun phrase after "who is the" / "name of the", as written; its last word is the role. */
function roleOf(question: string): string[] | null {
  const asked = ASKS_FOR_NAME.exec(question);
  if (asked === null) return null;
  const phrase: string[] = [];
  for (const [word] of question.slice(asked.index + asked[0].length).matchAll(WORD)) {
    if (phrase.length === 0 && /^(?:the|a|an)$/iu.test(word)) continue;
    if (ROLE_END.test(word) || isQuestionFormWord(word) || (phrase.length > 0 && PARTICIPLE.test(word))) break;
    // A name after the role's own words starts the clause that says which holder is meant:
    // "the Ukrainian president Trump pressed…".
    if (phrase.length > 0 && CAPITALISED.test(word) && !CAPITALISED.test(phrase.at(-1)!)) break;
    phrase.push(word);
    if (phrase.length === MAX_ROLE_WORDS) break;
  }
  const role = phrase.at(-1);
  // A capitalised last word is a name, not a role: "Who is the IRGC?" asks what it is.
  return role === undefined || CAPITALISED.test(role) ? null : phrase;
}

function wordsIn(text: string, { start, end }: Span): Word[] {
  return [...text.slice(start, end).matchAll(WORD)].map((match) => ({ text: match[0], start: start + match.index, end: start + match.index + match[0].length }));
}

const IRREGULAR_PLURALS: Readonly<Record<string, string>> = { men: 'man', women: 'woman', people: 'person', chiefs: 'chief' };

/**
 * A role word in its singular form. The role is matched by its own word, not its stem or
 * synonyms: the stemmer folds "operatives" into "operations" and "commander" into "command",
 * and WordNet gives "chief" as "main" and "master", which would find roles where there are none.
 */
function singular(word: string): string {
  const lower = word.toLowerCase();
  return IRREGULAR_PLURALS[lower] ?? lower.replace(/ies$/u, 'y').replace(/(?<=(?:ss|ch|sh|x))es$/u, '').replace(/(?<!s)s$/u, '');
}

export function roleNameCheckOf(question: string): RoleNameCheck | null {
  const phrase = roleOf(question);
  if (phrase === null) return null;
  const role = singular(phrase.at(-1)!);
  const given = new Set(analyze(question));
  const isRole = (word: Word) => singular(word.text.replace(POSSESSIVE_END, '')) === role;
  const isName = (words: readonly Word[], j: number): boolean => {
    const bare = words[j]!.text.replace(POSSESSIVE_END, '');
    return CAPITALISED.test(bare) && !CALENDAR_WORD.test(bare) && !(j === 0 && CAPITALISED_FUNCTION_WORD.test(bare));
  };
  const nameBeside = (text: string, words: readonly Word[], i: number): boolean => {
    for (const step of [-1, 1]) {
      for (let j = i + step, near = i; j >= 0 && j < words.length && Math.abs(j - i) <= MAX_NAME_DISTANCE; near = j, j += step) {
        const gap = step < 0 ? text.slice(words[j]!.end, words[near]!.start) : text.slice(words[near]!.end, words[j]!.start);
        if (CLAUSE_BREAK.test(gap)) break;
        const bare = words[j]!.text.replace(POSSESSIVE_END, '');
        if (BETWEEN_ROLE_AND_NAME.has(bare.toLowerCase())) continue;
        const term = analyzeToken(bare);
        if (isRole(words[j]!) || (term !== undefined && given.has(term))) continue;
        if (!isName(words, j)) break;
        // Before the role, a name without a comma modifies it ("Iranian operatives", "FBI
        // director"); the holder stands apart: "Saeed Khatibzadeh, Foreign Ministry spokesman".
        if (step > 0 || APPOSITION.test(gap)) return true;
      }
    }
    return false;
  };
  return {
    role: phrase.join(' '),
    speaksOfRole: ({ text, sentences }) => sentences.some((span) => wordsIn(text, span).some(isRole)),
    namesRole: ({ text, sentences }) =>
      sentences.some((span) => {
        const words = wordsIn(text, span);
        return words.some((word, i) => isRole(word) && nameBeside(text, words, i));
      }),
  };
}
