import { describe, expect, it } from 'vitest';
import { defaultBridges } from '../src/lexical/bridges.js';
import { answerCheckOf, type AnswerLexicon } from '../src/retrieval/answer-type.js';
import { splitSentences } from '../src/passages/sentences.js';

// Counts nothing in particular, so any count in the text is read: the number tests below.
const HOW_MANY = 'How many were there?';
// The real WordNet for what can be measured out; synonyms as each test gives them.
const bridges = defaultBridges();
const withSynonyms = (synonymTerms: AnswerLexicon['synonymTerms']): AnswerLexicon => ({ synonymTerms, isAmountNoun: (word) => bridges.isAmountNoun(word) });
const NO_ALTERNATIVES = withSynonyms(() => []);

function statesCount(text: string, question: string, alternatives = NO_ALTERNATIVES): boolean {
  return answerCheckOf(question, alternatives)!.holds({ text, sentences: splitSentences(text) });
}

function namesDay(text: string, question: string): boolean {
  return answerCheckOf(question, NO_ALTERNATIVES)!.holds({ text, sentences: splitSentences(text) });
}

describe('answerCheckOf', () => {
  it('checks "how many" in any case and spacing', () => {
    for (const question of ['How many people were hurt in the attack?', 'HOW MANY drones did Iran launch?', 'Tell me how   many\nofficials resigned.']) {
      expect({ question, checked: answerCheckOf(question, NO_ALTERNATIVES) !== null }).toEqual({ question, checked: true });
    }
  });

  it('checks "how much" of a thing, as an amount, but not "how much" of a change or a share', () => {
    for (const question of ['How much military aid did Trump block?', 'how much money did Iran spend?', 'How much did the campaign cost?', 'how much was the man paid?']) {
      expect({ question, asks: answerCheckOf(question, NO_ALTERNATIVES)?.asks }).toEqual({ question, asks: 'count' });
    }
    for (const question of [
      'By how much has meddling grown?',
      'How much more aid is coming?',
      'How much of the aid arrived?',
      // Had by degree, not measured out; a pronoun; attention paid; a fund that is no verb here.
      'How much influence does Russia have over Iran?',
      'How much he cares about Iran?',
      'How much attention did Biden pay to the threats?',
      'How much do we know about the fund?',
    ]) {
      expect({ question, checked: answerCheckOf(question, NO_ALTERNATIVES) !== null }).toEqual({ question, checked: false });
    }
  });

  it('checks nothing for questions whose answers take too many shapes, or "many" inside another word', () => {
    for (const question of ['How much does Iran care who wins?', 'Who did the hackers target?', 'Why were so many people hurt?', 'Somehow many were spared.', 'When did the talks start?']) {
      expect({ question, checked: answerCheckOf(question, NO_ALTERNATIVES) !== null }).toEqual({ question, checked: false });
    }
  });
});

describe('a count beside what is counted', () => {
  it('is not found in a count of something else', () => {
    const question = 'How many were killed in the strike?';
    expect(statesCount('Four groups were named. The strike killed the general.', question)).toBe(false);
    expect(statesCount('The strike killed twelve soldiers.', question)).toBe(true);
  });

  it('is found in the sentence after the one that names what is counted', () => {
    const question = 'How many former officials are still guarded?';
    const text = 'Iran threatened former officials, including Pompeo, Hook and Bolton. Due to these threats, all three individuals remain under protection.';
    expect(statesCount(text, question)).toBe(true);
    expect(statesCount('All three individuals remain under protection. Iran threatened former officials.', question)).toBe(false);
  });

  it('reads what is counted up to the question\'s verb, or the verb when nothing precedes it', () => {
    expect(statesCount('Some 300 votes were cast for Biden.', 'How many votes did Joe Biden win?')).toBe(true);
    expect(statesCount('Joe Biden won in 2020 with 3 states to spare.', 'How many votes did Joe Biden win?')).toBe(false);
    expect(statesCount('Four people were hurt; 12 were killed.', 'How many people were killed?')).toBe(true);
    expect(statesCount('Twelve people attended. The strike killed the general.', 'How many people were killed?')).toBe(false);
    expect(statesCount('The fund lost 4.5 million dollars. The strike killed the general.', 'How many were killed?')).toBe(false);
  });

  it('answers "how much" with an amount stated beside what it measures, not a year', () => {
    const question = 'How much military aid did Trump hold back from Ukraine in 2019?';
    expect(statesCount('Trump blocked military aid to Ukraine in 2019 before a phone call.', question)).toBe(false);
    expect(statesCount('Trump blocked $391 million in military aid to Ukraine.', question)).toBe(true);
  });

  it('is found under a word the documents use instead', () => {
    const alternatives = withSynonyms((word) => (word === 'troops' ? ['soldier'] : []));
    expect(statesCount('Some 1,500 soldiers arrived.', 'How many troops were deployed?', alternatives)).toBe(true);
    expect(statesCount('Some 1,500 soldiers arrived.', 'How many troops were deployed?')).toBe(false);
  });
});

describe('"which day" answered by a date that names a day', () => {
  it('takes a month and day, a day and month, an ISO date or a weekday', () => {
    const question = 'On which day was the note sent?';
    for (const text of ['The note, dated October 14, was sent.', 'It was sent on 14 October.', 'It was sent on the 14th of Oct.', 'Sent 2024-10-14.', 'The Journal revealed it on Friday.']) {
      expect({ text, day: namesDay(text, question) }).toEqual({ text, day: true });
    }
  });

  it('refuses a text that names no day', () => {
    const question = 'What date was the note sent?';
    for (const text of ['The note was sent in October.', 'It was sent in 2024.', 'It was sent last week, with 14 pages.']) {
      expect({ text, day: namesDay(text, question) }).toEqual({ text, day: false });
    }
  });

  it('wants a day in the month the question names', () => {
    const question = 'On which day in July was the plot foiled?';
    expect(namesDay('The plot was foiled in July.', question)).toBe(false);
    expect(namesDay('On October 14, on a Friday, the note was sent.', question)).toBe(false);
    expect(namesDay('On July 13 the plot was foiled.', question)).toBe(true);
    // "may" the verb names no month.
    expect(namesDay('The vote is on Tuesday.', 'On which day may the vote be held?')).toBe(true);
  });
});

describe('statesCount', () => {
  it('sees a count in number words, digits and multiples', () => {
    for (const text of [
      'Two people were hurt.',
      'Seventeen officials resigned.',
      'Hundreds fled the city.',
      'Tens of thousands marched.',
      'A dozen hackers were charged.',
      'Attacks rose threefold.',
      'The attacks doubled; twice as many were hurt.',
      '3 people were hurt.',
      'The fund lost 4.5 million dollars.',
      'Some 1,500 troops were deployed.',
    ]) {
      expect({ text, count: statesCount(text, HOW_MANY) }).toEqual({ text, count: true });
    }
  });

  it('sees no count in a text without numbers', () => {
    expect(statesCount('The spokesman denied the accusations.', HOW_MANY)).toBe(false);
    expect(statesCount('', HOW_MANY)).toBe(false);
  });

  it('does not count "one": text uses it as a pronoun far more than as a number', () => {
    expect(statesCount('One official said no one was hurt.', HOW_MANY)).toBe(false);
    expect(statesCount('Someone said it was a one-off.', HOW_MANY)).toBe(false);
  });

  it('does not count years, or days written next to a month', () => {
    for (const text of [
      'In 2024 the talks began.',
      'The treaty of 1979 still holds.',
      'Biden won the 2020 election.',
      'Russia\u2019s 2022 invasion changed that.',
      'On October 26 the talks began.',
      'On 26 October the talks began.',
      'The talks began on Oct. 26 in Vienna.',
      'It happened on Sept 3, 2020.',
      'Since May 5 nothing has changed.',
    ]) {
      expect({ text, count: statesCount(text, HOW_MANY) }).toEqual({ text, count: false });
    }
  });

  it('counts a number after "the" or a possessive that is no recent year', () => {
    expect(statesCount('The 1500 soldiers arrived on Monday.', HOW_MANY)).toBe(true);
    expect(statesCount('Iran\u2019s 1200 centrifuges kept spinning.', HOW_MANY)).toBe(true);
  });

  it('still counts a number next to a date', () => {
    expect(statesCount('On October 26, 14 people were hurt.', HOW_MANY)).toBe(true);
    expect(statesCount('In 2024, 300 drones were launched.', HOW_MANY)).toBe(true);
  });

  it('does not count a number the question itself gives', () => {
    const question = 'How many of the 300 drones were shot down?';
    expect(statesCount('Iran launched 300 drones.', question)).toBe(false);
    expect(statesCount('Iran launched 300 drones; 290 were shot down.', question)).toBe(true);
    // Given as written: "1,500" in the question does not hide "1,500" only.
    expect(statesCount('Some 1,500 troops and 20 tanks.', 'How many of the 1,500 troops stayed?')).toBe(true);
    expect(statesCount('Some 1,500 troops.', 'How many of the 1,500 troops stayed?')).toBe(false);
  });

  it('does not read a number before a word that merely starts like a month as a date ("3 separate attacks")', () => {
    for (const text of ['3 separate attacks hit the base.', '12 marines were killed.', 'After 3 decades of war.', '5 mayors resigned.']) {
      expect({ text, count: statesCount(text, HOW_MANY) }).toEqual({ text, count: true });
    }
  });

  it('does not take a word merely ending in "fold" for a multiple ("unfold", "scaffold")', () => {
    for (const text of ['The crisis continued to unfold.', 'Workers stood on the scaffold.', 'The reasons are manifold.']) {
      expect({ text, count: statesCount(text, HOW_MANY) }).toEqual({ text, count: false });
    }
  });

  it('does not count a number word the question itself gives', () => {
    expect(statesCount('The three hostages were held in Gaza.', 'How many of the three hostages were released?')).toBe(false);
  });
});

describe('statesCount with four-digit numbers', () => {
  it('counts a four-digit number that is not where a year stands', () => {
    expect(statesCount('Officials said 1500 people attended.', 'How many people attended?')).toBe(true);
    expect(statesCount('In the 1990s and from 2015-2019 the number is not given.', 'How many people attended?')).toBe(false);
  });
});
