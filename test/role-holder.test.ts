import { describe, expect, it } from 'vitest';
import { defaultBridges } from '../src/lexical/bridges.js';
import { splitSentences } from '../src/passages/sentences.js';
import { roleNameCheckOf } from '../src/retrieval/role-holder.js';

// The real WordNet: whether a word is a person, a place or an adjective is its data, not ours.
const lexicon = defaultBridges();

describe('"who is the <role>" answered by a name beside the role', () => {
  function read(question: string, text: string): { speaks: boolean; names: boolean } {
    const check = roleNameCheckOf(question, lexicon)!;
    const sentenced = { text, sentences: splitSentences(text) };
    return { speaks: check.speaksOfRole(sentenced), names: check.namesRole(sentenced) };
  }

  it('reads the role after "who is the" or "name of", up to what says which holder is meant', () => {
    const question = 'Who is the Swiss ambassador who chairs the US Interest Section?';
    expect(read(question, 'Tehran summoned the Swiss ambassador, who chairs the US Interest Section.')).toEqual({ speaks: true, names: false });
    expect(read(question, 'Tehran summoned the Swiss ambassador, Markus Leitner, on Thursday.')).toEqual({ speaks: true, names: true });
    expect(read(question, 'Swiss ambassador Markus Leitner was summoned.')).toEqual({ speaks: true, names: true });
    expect(read('What is the name of the Pakistani man charged over the plot?', 'A Pakistani man was charged in August.')).toEqual({ speaks: true, names: false });
    expect(read('What are the names of the IRGC operatives behind the hack?', 'It was traced to three operatives working for the IRGC.')).toEqual({ speaks: true, names: false });
    // A title before a name names the holder, though only the role as a common noun counts as speaking of it.
    expect(read('Who is the Ukrainian president Trump pressured?', 'Trump urged Ukrainian President Volodymyr Zelensky to act.')).toEqual({ speaks: false, names: true });
  });

  it('finds the holder set apart after the phrase that places the role, before a copula, or before a plural that points back', () => {
    const question = 'Who is the Swiss ambassador who chairs the US Interest Section?';
    for (const text of [
      'The Swiss ambassador to Iran, Markus Leitner, was summoned.',
      'Markus Leitner is the Swiss ambassador in Tehran.',
      'Markus Leitner has been the Swiss ambassador since 2018.',
      'The Swiss ambassador — Markus Leitner — was summoned.',
      'Tehran summoned Theresa May, the Swiss ambassador.',
    ]) {
      expect({ text, ...read(question, text) }).toEqual({ text, speaks: true, names: true });
    }
    expect(read('Who is the deputy press officer at the Iranian mission to the UN?', 'A deputy press officer at the Iranian mission to the UN, Alireza Miryousefi, said so.').names).toBe(true);
    expect(read('Who are the key figures Iran intends to harm?', 'Iran intends to harm key figures from Trump’s administration, including former Secretary of State Mike Pompeo.').names).toBe(true);
    const pointsBack = 'Iran threatened Mike Pompeo, Brian Hook and John Bolton. Due to these threats, all three individuals remain under protection.';
    expect(read('Who are the individuals under Secret Service protection?', pointsBack).names).toBe(true);
    // A phrase that places the role is not a name, nor is what its brackets abbreviate.
    expect(read('What are the names of the operatives behind the hack?', 'It was traced to three operatives working for the Revolutionary Guard Corps [IRGC].').names).toBe(false);
    expect(read(question, 'Tehran summoned the Swiss ambassador, who chairs the US Interest Section, on Thursday.').names).toBe(false);
  });

  it('finds the holder before the role only set apart by a comma; a name joined to the role modifies it', () => {
    const question = 'Who is the foreign ministry spokesman?';
    expect(read(question, 'Saeed Khatibzadeh, Foreign Ministry spokesman, said so.')).toEqual({ speaks: true, names: true });
    expect(read(question, 'The Iranian foreign ministry spokesman said so.')).toEqual({ speaks: true, names: false });
    expect(read('Who was the top commander killed by the drone?', 'The drone killed Qasem Soleimani, the IRGC’s top commander.')).toEqual({ speaks: true, names: true });
    // Adjectives of the text's own may stand between: the question need not say "top".
    expect(read('Who was the IRGC commander killed by the drone?', 'The drone killed Qasem Soleimani, the IRGC’s top commander.').names).toBe(true);
    expect(read('Who was the Iranian military commander killed in 2020?', 'It killed Qassem Soleimani, Iran’s top military commander.').names).toBe(true);
    // An organisation's name joined to the role holds it; a nationality or an acronym only modifies it.
    expect(read('What is the name of the administration that hardliners accused?', 'Iranian hardliners have accused the Rouhani administration.').names).toBe(true);
    expect(read('What are the names of the hackers behind it?', 'Iranian hackers and IRGC hackers did it.')).toEqual({ speaks: true, names: false });
  });

  it('does not take the role word inside a name for the role', () => {
    const question = 'Who is the Pakistani national arrested in New York?';
    expect(read(question, 'US Director of National Intelligence John Ratcliffe spoke.').names).toBe(false);
    expect(read(question, 'A Pakistani national, Asif Merchant, was arrested in New York.').names).toBe(true);
    // Nor an adjective use of it after a list of other people's names.
    expect(read(question, 'Iran threatened Brian Hook, and national security adviser John Bolton.').names).toBe(false);
  });

  it("wants the role's own modifiers before it, so another kind of holder does not answer", () => {
    expect(read('Who is the Israeli prime minister?', 'Foreign Minister Abbas Araghchi denied it.')).toEqual({ speaks: false, names: false });
    expect(read('Who is the Israeli prime minister?', 'The Israeli prime minister, Benjamin Netanyahu, spoke.')).toEqual({ speaks: true, names: true });
  });

  it('ends the role at a clause without a relative word, and asks only about people and groups', () => {
    const question = 'Who is the Swiss ambassador the foreign ministry summoned?';
    expect(read(question, 'The ministry had summoned the Swiss ambassador, who chairs the US Interest Section.')).toEqual({ speaks: true, names: false });
    expect(roleNameCheckOf(question, lexicon)!.role).toBe('Swiss ambassador');
    // Typed in lower case, a word known only as a name ends the role's phrase as a capitalised name does…
    expect(roleNameCheckOf('who is the swiss ambassador iran summoned', lexicon)?.role).toBe('swiss ambassador');
    expect(roleNameCheckOf('who is the republican candidate iran opposes?', lexicon)?.role).toBe('republican candidate');
    // …but a name that is also a common word runs into the role: "opposes" is no person, so nothing is checked.
    expect(roleNameCheckOf('who is the republican candidate trump opposes?', lexicon)).toBeNull();
    expect(roleNameCheckOf('Who is the campaign?', lexicon)).toBeNull();
  });

  it('takes no date, weekday or capitalised function word for a name, and stops at a clause break', () => {
    const question = 'Who is the new spokesman?';
    expect(read(question, 'The spokesman said on Friday that talks would resume in October.').names).toBe(false);
    expect(read(question, 'The spokesman is, since May 5, on leave.').names).toBe(false);
    expect(read(question, 'He named a spokesman. The talks resumed.').names).toBe(false);
    expect(read(question, 'They hired a spokesman; Ali Rezaei left.').names).toBe(false);
  });

  it('matches the role by its own word, singular or plural, not by its stem', () => {
    const question = 'What are the names of the operatives?';
    expect(read(question, 'One operative, Ali Rezaei, was charged.')).toEqual({ speaks: true, names: true });
    expect(read(question, 'The operations were run by Tehran.')).toEqual({ speaks: false, names: false });
  });

  it('checks nothing where no role is asked about', () => {
    for (const question of [
      'Who is behind the hack?',
      'Who hacked the campaign?',
      'If China is not after the race, who is it targeting?',
      'Who is the IRGC?',
      'Who are the Houthis?',
      // Who the role acts on, not who holds it.
      'Who were the operatives working for?',
      'Who was the first to reveal the message?',
      'Who is the newly appointed envoy?',
      'Did Iran act in the name of national security?',
    ]) {
      expect({ question, checked: roleNameCheckOf(question, lexicon) !== null }).toEqual({ question, checked: false });
    }
  });
});
