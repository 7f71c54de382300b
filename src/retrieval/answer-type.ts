/**
 * The kind of answer a question asks for, where its wording says so plainly, and whether a text
 * can hold such an answer at all (the "expected answer type" of question answering systems). Only
 * counts are checked: "How many…?" is answered by a number, and a passage without one cannot
 * answer it however close its topic is. Other question words ("when", "who") are answered in too
 * many shapes to check without a parser. "One" is left out of the number words: text uses it far
 * more often as a pronoun ("one official", "no one") than as a count.
 */

const HOW_MANY = /\bhow\s+many\b/iu;
const NUMBER_WORD =
  'two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?';
// A number word, a multiple ("twice", "threefold", "10-fold").
const COUNT_WORDS = new RegExp(`\\b(?:(?:${NUMBER_WORD})(?:-?fold)?|\\d+-?fold|twice|double|triple)\\b`, 'giu');
const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
// Numbers that are dates, not counts: a day after or before a month name, a year where a year
// stands (after a month or "in", "since", "by"…; "1990s"), but not "1500 people".
const YEAR = '(?:1[0-9]|20)\\d\\d';
const DATE_NUMBER = new RegExp(
  `\\b${MONTH}\\s+\\d{1,2}\\b|\\b\\d{1,2}\\s+${MONTH}\\b|\\b(?:${MONTH},?|in|since|by|of|from|until|till|before|after|during|year)\\s+${YEAR}\\b|(?<=\\d,\\s{0,3})${YEAR}\\b|\\b${YEAR}s\\b|\\b${YEAR}(?=\\s*[-–]\\s*\\d)|(?<=[-–]\\s*)${YEAR}\\b`,
  'giu',
);
const DIGITS = /\d+(?:[.,]\d+)*/gu;

export function asksForCount(question: string): boolean {
  return HOW_MANY.test(question);
}

/** Whether `text` states a count other than the numbers the question itself gives. */
export function statesCount(text: string, question: string): boolean {
  const given = new Set([...(question.match(DIGITS) ?? []), ...(question.match(COUNT_WORDS) ?? []).map((word) => word.toLowerCase())]);
  const counts = [...(text.replace(DATE_NUMBER, ' ').match(DIGITS) ?? []), ...(text.match(COUNT_WORDS) ?? []).map((word) => word.toLowerCase())];
  return counts.some((count) => !given.has(count));
}
