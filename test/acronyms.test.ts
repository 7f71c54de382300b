import { describe, expect, it } from 'vitest';
import { expansionsIn } from '../src/retrieval/acronyms.js';

describe('names an acronym stands for, read from the documents', () => {
  const briefing = 'A briefing organized by the Office of the Director of National Intelligence, the FBI and the Department of Homeland Security.';

  it('are names of capitalised words whose initials spell it, particles left out or kept', () => {
    expect(expansionsIn([briefing], ['DHS', 'ODNI'])).toEqual(
      new Map([
        ['DHS', ['Department of Homeland Security']],
        ['ODNI', ['Office of the Director of National Intelligence']],
      ]),
    );
    expect(expansionsIn(['As the Voice of America reported.'], ['VOA', 'VA'])).toEqual(new Map([['VOA', ['Voice of America']], ['VA', ['Voice of America']]]));
  });

  it('are found inside a longer run of capitals (a title before a name), and for a plural acronym', () => {
    const text = 'Vice President Kamala Harris met the European Medicines Agencies.';
    expect(expansionsIn([text], ['VP', 'EMAs'])).toEqual(new Map([['VP', ['Vice President']], ['EMAs', ['European Medicines Agencies']]]));
  });

  it('are every such name the texts hold, since the letters cannot tell them apart', () => {
    expect(expansionsIn(['Vladimir Putin spoke.', 'The Vice President replied.'], ['VP']).get('VP')).toEqual(['Vladimir Putin', 'Vice President']);
  });

  it('do not run across punctuation or "and", nor match when no name spells the acronym', () => {
    expect(expansionsIn(['Intelligence, Homeland and Security met.'], ['IHS', 'HS'])).toEqual(new Map());
    expect(expansionsIn([briefing], ['NSA'])).toEqual(new Map());
  });

  it('leave out a word capitalised only because it opens a sentence', () => {
    expect(expansionsIn(['As Israel pressed its offensive.', 'In Washington, officials met.'], ['AI', 'IW'])).toEqual(new Map());
    expect(expansionsIn(['The Washington Post reported it.'], ['WP', 'TWP'])).toEqual(new Map([['WP', ['Washington Post']]]));
  });
});
