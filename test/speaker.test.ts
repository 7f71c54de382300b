import { describe, expect, it } from 'vitest';
import { defaultBridges } from '../src/lexical/bridges.js';
import { splitSentences } from '../src/passages/sentences.js';
import { speakerCheckOf } from '../src/retrieval/speaker.js';

// The real WordNet: whether the speaker is a place is its data, not ours.
const lexicon = defaultBridges();

function quotes(question: string, text: string): boolean {
  return speakerCheckOf(question, lexicon)!.quotes({ text, sentences: splitSentences(text) });
}

describe('"what did <name> say" answered by what the name is reported to have said', () => {
  it('reads the speaker between "what did" and the verb of saying, past an adverb', () => {
    expect(speakerCheckOf('What did Mike Pompeo say about the threats?', lexicon)?.speaker).toBe('Mike Pompeo');
    expect(speakerCheckOf('What did President Biden personally say about the plot?', lexicon)?.speaker).toBe('President Biden');
    expect(speakerCheckOf('What has Kamala Harris said about Iran?', lexicon)?.speaker).toBe('Kamala Harris');
    expect(speakerCheckOf('What did ISNA call the accusations?', lexicon)?.speaker).toBe('ISNA');
  });

  it('checks nothing for a place, a role, a name in lower case, or another question', () => {
    for (const question of [
      'What did Iran say about the accusations?',
      'What did Washington tell Tehran in September?',
      'What did the Swiss ambassador tell Iran?',
      'what did jd vance say about the dossier?',
      'How did Kamala Harris respond to the reports?',
      // What a text states, not what someone was reported to say: any passage about it may answer.
      'What does the GDPR say about consent?',
      'Who did Trump call a genius?',
    ]) {
      expect({ question, checked: speakerCheckOf(question, lexicon) !== null }).toEqual({ question, checked: false });
    }
  });

  it('finds the name as the subject of a verb of saying, after one, or as "he" in the next sentence', () => {
    const question = 'What did Khatibzadeh say about the election?';
    for (const text of [
      'Saeed Khatibzadeh, Foreign Ministry spokesman, said Thursday that it makes no difference.',
      'Khatibzadeh called the US allegations “fabricated”.',
      '“It makes no difference,” said Khatibzadeh.',
      'Saeed Khatibzadeh spoke in Tehran. “It makes no difference to Iran,” he said.',
      '“Iran will answer any aggression,” said Foreign Ministry spokesman Saeed Khatibzadeh.',
      'Saeed Khatibzadeh, speaking in Tehran on Sunday, rebuffed the claims.',
    ]) {
      expect({ text, quotes: quotes(question, text) }).toEqual({ text, quotes: true });
    }
  });

  it('does not take a mention for words, nor a noun that looks like a verb of saying', () => {
    const question = 'What did Mike Pompeo say about the threats?';
    expect(quotes(question, 'Iran expressed intentions to harm key figures, including former Secretary of State Mike Pompeo and John Bolton.')).toBe(false);
    expect(quotes(question, 'Officials said Iran threatened several people. Mike Pompeo remains under protection.')).toBe(false);
    expect(quotes(question, 'Mike Pompeo warned that Iran would strike.')).toBe(true);
    // "Maintained" reports words only before what was said.
    expect(quotes(question, 'Mike Pompeo has maintained strong support for the sanctions.')).toBe(false);
    expect(quotes(question, 'Mike Pompeo maintained that the sanctions worked.')).toBe(true);
  });

  it('reads the name as the index does, whatever its apostrophe', () => {
    expect(quotes("What did Robert O'Brien say about the plot?", 'Robert O’Brien said the plot was real.')).toBe(true);
  });

  it('takes no object of a verb for its speaker: only the verbs news puts before a speaker it quotes', () => {
    expect(quotes('What did Zelensky say about the call?', 'Trump urged Ukrainian President Volodymyr Zelensky to act.')).toBe(false);
  });

  it('knows the speaker by the fuller name the passages give ("Kamala" of "Kamala Harris"), and as "it" after one naming it', () => {
    const check = speakerCheckOf('What did Kamala say about Iran?', lexicon)!;
    const quoted = 'Harris has condemned the strike.';
    const sentenced = (text: string) => ({ text, sentences: splitSentences(text) });
    expect(check.quotes(sentenced(quoted))).toBe(false);
    expect(check.withNamesFrom(['Vice President Kamala Harris met the envoy.']).quotes(sentenced(quoted))).toBe(true);
    // Not across punctuation: "Kamala, Harris…" completes nothing.
    expect(check.withNamesFrom(['They met Kamala, Harris said.']).quotes(sentenced(quoted))).toBe(false);
    expect(quotes('What did Microsoft say about the groups?', 'Microsoft released its findings on Friday. It said four groups were active.')).toBe(true);
  });

  it('takes a source a report cites for its words: "according to", "identified", "vocally against"', () => {
    expect(quotes('What did Microsoft say about the groups?', 'Four groups are active, according to Microsoft.')).toBe(true);
    expect(quotes('What did Microsoft say about the groups?', 'This month, Microsoft identified four groups.')).toBe(true);
    expect(quotes('What has JD Vance said about aid?', 'JD Vance has been vocally against further aid.')).toBe(true);
  });
});
