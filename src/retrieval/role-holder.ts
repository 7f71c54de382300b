import { analyze, analyzeToken } from '../lexical/analyzer.js';
import { SENTENCE_OPENER } from '../lexical/sentence-openers.js';
import type { Span } from '../passages/sentences.js';
import { MONTH, type SentencedText } from './answer-type.js';
import { isQuestionFormWord } from './question-terms.js';

/** What a "who is the <role>" question is checked with, and the role as it words it. */
export interface RoleNameCheck {
  /** The role as the question words it ("Swiss ambassador", "three IRGC operatives"). */
  role: string;
  /** The text speaks of the role (its word, singular or plural). */
  speaksOfRole(text: SentencedText): boolean;
  /** Some mention of the role has a name the question does not give standing for its holder. */
  namesRole(text: SentencedText): boolean;
}

// Only "who is the…" and "the name of…": "Who is it targeting?" asks for the object of a verb,
// and "in the name of national security" names no one.
const ASKS_FOR_NAME = /\b(?:(?:what|which)(?:\s+(?:is|are|was|were)|['\u2019]s)\s+the\s+names?\s+of|who\s+(?:is|are|was|were)\s+the)\s+/iu;
// Words that end the role's noun phrase: what follows says which holder is meant ("the
// ambassador who chairs…", "the man charged over…", "the operatives behind…").
const ROLE_END =
  /^(?:who|whom|whose|that|which|behind|in|on|at|of|for|over|from|with|to|by|and|or|as|during|after|before|about|against|under|accused|said)$/iu;
// A determiner after the role's words starts a clause: "the agents the Justice Department says…".
const DETERMINER = /^(?:the|a|an|this|these|those|its|their)$/iu;
// A question ending on one of these asks who the role acts on: "Who were the operatives working for?"
const ENDS_ON_PREPOSITION = /\b(?:for|at|against|by|to|with|of|from|on|in|about|into|after|over|towards?)\W*$/iu;
const PARTICIPLE = /(?:ed|ing)$/iu;
// Not roles: "the newly appointed…", "the first to…", "the three…".
const NOT_A_ROLE = /(?:ly$)|^(?:first|second|third|last|next|only|other|one|two|three|four|five|six|seven|eight|nine|ten|\d+\w*)$/iu;
const MAX_ROLE_WORDS = 5;
const WORD = /[\p{L}\p{N}]+(?:[-'\u2019.][\p{L}\p{N}]+)*/gu;
// What may stand between a role and its holder's name: "the ambassador, Markus Leitner", "a
// spokesman named Ali", "the leader of the Quds Force, Qasem Soleimani".
const BETWEEN_ROLE_AND_NAME = new Set(['the', 'a', 'an', 'of', 'named', 'called', 'mr', 'mrs', 'ms', 'dr']);
// After the role, these open the list of its holders or stand before a holder's title: "key
// figures …, including former Secretary of State Mike Pompeo".
const OPENS_HOLDERS = new Set(['including', 'namely', 'notably', 'such', 'as', 'like', 'former', 'late', 'acting', 'then', 'current', 'incoming', 'outgoing']);
// Before the role, these make the name before them its holder: "Markus Leitner is the Swiss
// ambassador", "… has been appointed ambassador", "… serves as ambassador".
const COPULA = new Set(['is', 'was', 'are', 'were', 'has', 'have', 'had', 'been', 'became', 'becomes', 'appointed', 'named', 'serves', 'served', 'as', 'remains']);
// Before a plural role, these point back to holders named in the sentence before: "…Pompeo,
// Hook and Bolton. Due to these threats, all three individuals…".
const POINTS_BACK = /^(?:these|those|all|both|such)$/iu;
const CLAUSE_BREAK = /[;:!?]/u;
// What sets a holder's name apart after the role or the phrase that places it: "the deputy press
// officer at the Iranian mission to the UN, Alireza Miryousefi". Not brackets: after a phrase
// they hold its abbreviation ("Revolutionary Guard Corps [IRGC]").
const APPOSITION_AFTER = /,|\s[-\u2013\u2014]\s/u;
const APPOSITION_BEFORE = /[,()[\]]|\s[-\u2013\u2014]\s/u;
const MAX_NAME_DISTANCE = 6;
const MODIFIER_REACH = 3;
// Before the role, a name joined to it modifies it when it says where or what kind ("Iranian
// operatives", "FBI director", "Swiss ambassador"), but an organisation's name is its holder
// ("the Hezbollah group", "the Rouhani administration").
const ACRONYM = /^\p{Lu}{2,}$/u;
const MAX_ADJECTIVES = 2;
// Lower-case words that join the parts of one name ("Director of National Intelligence").
const INSIDE_A_NAME = /^(?:of|for|and)$/u;
const JOINING_WORD = /^(?:and|or|but|nor|of|to|in|on|at|by|for|from|with|into|than|that|which|who|whom|whose)$/u;
const MAX_PLACING_PHRASE = 8;
const WEEKDAY_WORD = /^(?:mon|tues|wednes|thurs|fri|satur|sun)day$/iu;
const MONTH_WORD = new RegExp(`^${MONTH}$`, 'iu');
// A month name is a date, not a name ("Theresa May"), beside a number or after these.
const BEFORE_A_DATE = /^(?:in|on|since|until|by|last|next|early|late|mid|of|from|through)$/iu;
const POSSESSIVE_END = /['\u2019]s?$/u;
const CAPITALISED = /^\p{Lu}/u;

interface Word {
  text: string;
  start: number;
  end: number;
}

/** What the role check asks of the lexicon (WordNet through `Bridges`). */
export interface RoleLexicon {
  /** Whether a noun can stand for a person or a group of people: what the role must be. */
  isPersonOrGroup(word: string): boolean;
  /** Whether a word is a place or an adjective: joined before a role, it modifies it. */
  isPlaceOrAdjective(word: string): boolean;
  /** Whether a word is known only as a name, so is one in a question typed in lower case. */
  isOnlyAName(word: string): boolean;
}

/** The role's noun phrase after "who is the" / "the name of the", as written; its last word is the role. */
function roleOf(question: string, lexicon: RoleLexicon): string[] | null {
  const asked = ASKS_FOR_NAME.exec(question);
  if (asked === null || ENDS_ON_PREPOSITION.test(question)) return null;
  const phrase: string[] = [];
  for (const [word] of question.slice(asked.index + asked[0].length).matchAll(WORD)) {
    if (DETERMINER.test(word)) {
      if (phrase.length === 0) continue;
      break;
    }
    if (ROLE_END.test(word) || isQuestionFormWord(word) || (phrase.length > 0 && PARTICIPLE.test(word))) break;
    // A name after the role's own words starts the clause that says which holder is meant:
    // "the Ukrainian president Trump pressed…", "the swiss ambassador iran summoned" (but "the
    // three IRGC operatives" is one phrase).
    const last = phrase.at(-1);
    const isName = (candidate: string) => CAPITALISED.test(candidate) || lexicon.isOnlyAName(candidate);
    if (last !== undefined && isName(word) && !isName(last) && !NOT_A_ROLE.test(last)) break;
    phrase.push(word);
    if (phrase.length === MAX_ROLE_WORDS) break;
  }
  const role = phrase.at(-1);
  // A capitalised last word is a name, not a role: "Who is the IRGC?" asks what it is.
  return role === undefined || !/^\p{Ll}+$/u.test(role) || NOT_A_ROLE.test(role) || !lexicon.isPersonOrGroup(role) ? null : phrase;
}

function wordsIn(text: string, { start, end }: Span): Word[] {
  return [...text.slice(start, end).matchAll(WORD)].map((match) => ({ text: match[0], start: start + match.index, end: start + match.index + match[0].length }));
}

const IRREGULAR_PLURALS: Readonly<Record<string, string>> = { men: 'man', women: 'woman', people: 'person' };

/**
 * A role word in its singular form. The role is matched by its own word, not its stem or
 * synonyms: the stemmer folds "operatives" into "operations" and "commander" into "command",
 * and WordNet gives "chief" as "main" and "master", which would find roles where there are none.
 */
function singular(word: string): string {
  const lower = word.toLowerCase();
  return IRREGULAR_PLURALS[lower] ?? lower.replace(/ies$/u, 'y').replace(/(?<=(?:ss|ch|sh|x))es$/u, '').replace(/(?<!s)s$/u, '');
}

/**
 * "Who is the Swiss ambassador…?", "What is the name of the Pakistani man…?": the answer is a
 * name given with the role, and news gives it there: beside the role word ("Swiss ambassador
 * Markus Leitner", "Saeed Khatibzadeh, Foreign Ministry spokesman"), set apart after the phrase
 * that places the role ("the deputy press officer at the Iranian mission to the UN, Alireza
 * Miryousefi"), before a copula ("Markus Leitner is the Swiss ambassador"), or in the sentence
 * before a plural role that points back to it ("all three individuals"). A text that speaks of
 * the role with no name in any of those places does not say who holds it. Only the role after
 * "who is the" or "the name of" is read: "Who hacked…?" is answered by a country as often as by
 * a person, and "who is behind…" names no role.
 */
export function roleNameCheckOf(question: string, lexicon: RoleLexicon): RoleNameCheck | null {
  const phrase = roleOf(question, lexicon);
  if (phrase === null) return null;
  const role = singular(phrase.at(-1)!);
  const given = new Set(analyze(question));
  // The role's own lower-case modifiers ("prime" minister, "top" commander) must stand before it
  // in the text too: a "Foreign Minister" is not the prime minister asked about.
  const modifiers = phrase.slice(0, -1).filter((word) => /^\p{Ll}/u.test(word) && !NOT_A_ROLE.test(word)).map((word) => word.toLowerCase());
  const isRoleWord = (word: Word) => singular(word.text.replace(POSSESSIVE_END, '')) === role;
  const isRoleAt = (words: readonly Word[], i: number) =>
    isRoleWord(words[i]!) &&
    modifiers.every((modifier) => words.slice(Math.max(0, i - MODIFIER_REACH), i).some((word) => word.text.toLowerCase() === modifier));
  const isGiven = (word: Word) => {
    const term = analyzeToken(word.text.replace(POSSESSIVE_END, ''));
    return isRoleWord(word) || (term !== undefined && given.has(term));
  };
  const isName = (words: readonly Word[], j: number): boolean => {
    const bare = words[j]!.text.replace(POSSESSIVE_END, '');
    if (!CAPITALISED.test(bare) || WEEKDAY_WORD.test(bare) || (j === 0 && SENTENCE_OPENER.test(bare))) return false;
    if (!MONTH_WORD.test(bare)) return true;
    const [before, after] = [words[j - 1]?.text ?? '', words[j + 1]?.text ?? ''];
    return !(/^\d/u.test(before) || /^\d/u.test(after) || BEFORE_A_DATE.test(before));
  };
  const gapBetween = (text: string, first: Word, second: Word) => text.slice(first.end, second.start);

  /** After the role: a name beside it, or set apart after it or after the phrase that places it. */
  const nameAfter = (text: string, words: readonly Word[], i: number): boolean => {
    let apart = false;
    let placing = 0;
    for (let j = i + 1; j < words.length && j - i <= MAX_NAME_DISTANCE + MAX_PLACING_PHRASE; j++) {
      const gap = gapBetween(text, words[j - 1]!, words[j]!);
      if (CLAUSE_BREAK.test(gap)) return false;
      if (APPOSITION_AFTER.test(gap)) {
        // Only the first word after the break can be the name: "…, who chairs" is not.
        if (apart) return false;
        apart = true;
        placing = 0;
      }
      const word = words[j]!;
      const lower = word.text.toLowerCase();
      // The question's own names and the role's words may stand between; its verbs may not
      // ("The US officials said Moscow…" does not name the officials Moscow).
      const givenName = isGiven(word) && (CAPITALISED.test(word.text) || isRoleWord(word));
      if (BETWEEN_ROLE_AND_NAME.has(lower) || (apart && OPENS_HOLDERS.has(lower)) || (placing === 0 && givenName)) continue;
      if (placing === 0 && isName(words, j)) return true;
      if (apart) return false;
      if (++placing > MAX_PLACING_PHRASE) return false;
    }
    return false;
  };

  /**
   * Before the role: a name set apart by a comma ("Qasem Soleimani, the IRGC's top commander"),
   * before a copula, or an organisation's name joined to it; a place, a nationality or an
   * acronym joined to it modifies it ("Iranian operatives", "FBI director").
   */
  const nameBefore = (text: string, words: readonly Word[], i: number): boolean => {
    let copula = false;
    let adjectives = 0;
    for (let j = i - 1; j >= 0 && i - j <= MAX_NAME_DISTANCE; j--) {
      const gap = gapBetween(text, words[j]!, words[j + 1]!);
      if (CLAUSE_BREAK.test(gap)) return false;
      const word = words[j]!;
      const lower = word.text.toLowerCase();
      if (COPULA.has(lower)) {
        copula = true;
        continue;
      }
      if (BETWEEN_ROLE_AND_NAME.has(lower) || isGiven(word)) continue;
      if (!isName(words, j)) {
        // "the IRGC's top commander", "Iran's top military commander": a few adjectives, but not
        // across a conjunction or preposition ("…Brian Hook, and national security adviser…").
        if (copula || APPOSITION_BEFORE.test(gap) || JOINING_WORD.test(lower) || ++adjectives > MAX_ADJECTIVES) return false;
        continue;
      }
      if (copula || APPOSITION_BEFORE.test(gap)) return true;
      const bare = word.text.replace(POSSESSIVE_END, '');
      const joined = j === i - 1 && !POSSESSIVE_END.test(word.text);
      if (joined && !ACRONYM.test(bare) && !lexicon.isPlaceOrAdjective(bare)) return true;
    }
    return false;
  };

  /** A capitalised role word after "of" is part of a name: "Director of National Intelligence" speaks of no national. */
  const insideName = (words: readonly Word[], i: number): boolean =>
    CAPITALISED.test(words[i]!.text) && i > 0 && INSIDE_A_NAME.test(words[i - 1]!.text);

  /** A plural role pointing back ("all three individuals"): a name in the sentence before. */
  const namedBefore = (text: string, words: readonly Word[], i: number, previous: readonly Word[]): boolean =>
    words[i]!.text.toLowerCase() !== role &&
    words.slice(Math.max(0, i - 3), i).some((word) => POINTS_BACK.test(word.text)) &&
    previous.some((word, j) => j > 0 && !isGiven(word) && isName(previous, j));

  return {
    role: phrase.join(' '),
    // Only the role word as a common noun: a question typed in lower case ("who is the ukrainian
    // president trump pressured?") would otherwise take a name for its role.
    speaksOfRole: ({ text, sentences }) =>
      sentences.some((span) => {
        const words = wordsIn(text, span);
        return words.some((word, i) => !CAPITALISED.test(word.text) && isRoleAt(words, i));
      }),
    namesRole: ({ text, sentences }) =>
      sentences.some((span, k) => {
        const words = wordsIn(text, span);
        const previous = k > 0 ? wordsIn(text, sentences[k - 1]!) : [];
        return words.some(
          (_, i) =>
            isRoleAt(words, i) &&
            !insideName(words, i) &&
            (nameAfter(text, words, i) || nameBefore(text, words, i) || namedBefore(text, words, i, previous)),
        );
      }),
  };
}
