import { describe, expect, it } from 'vitest';
import { asksForCount, statesCount } from '../src/retrieval/answer-type.js';

const HOW_MANY = 'How many people were hurt in the attack?';

describe('asksForCount', () => {
  it('recognises "how many" in any case and spacing', () => {
    expect(asksForCount(HOW_MANY)).toBe(true);
    expect(asksForCount('HOW MANY drones did Iran launch?')).toBe(true);
    expect(asksForCount('Tell me how   many\nofficials resigned.')).toBe(true);
  });

  it('does not take other questions, or "many" inside another word, for a count', () => {
    expect(asksForCount('How much did the campaign cost?')).toBe(false);
    expect(asksForCount('Who did the hackers target?')).toBe(false);
    expect(asksForCount('Why were so many people hurt?')).toBe(false);
    expect(asksForCount('Somehow many were spared.')).toBe(false);
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
      'On October 26 the talks began.',
      'On 26 October the talks began.',
      'The talks began on Oct. 26 in Vienna.',
      'It happened on Sept 3, 2020.',
      'Since May 5 nothing has changed.',
    ]) {
      expect({ text, count: statesCount(text, HOW_MANY) }).toEqual({ text, count: false });
    }
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
