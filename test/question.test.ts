import { describe, expect, it } from 'vitest';
import { InvalidQuestionError } from '../src/errors.js';
import { normalizeQuestion, searchableText } from '../src/retrieval/question.js';

describe('text made searchable (a message someone asks sources for)', () => {
  it('is kept whole, whitespace folded, when it fits', () => {
    expect(searchableText('  Did Iran\n\nhack the\tcampaign?  ', 100)).toBe('Did Iran hack the campaign?');
    expect(searchableText('', 100)).toBe('');
  });

  it('is cut after the last sentence that fits, else between words, never past the limit', () => {
    const text = 'Iran denied the claims. Microsoft said otherwise. The weather was mild that week in the capital.';
    expect(searchableText(text, 60)).toBe('Iran denied the claims. Microsoft said otherwise.');
    expect(searchableText('one two three four five six seven eight', 20)).toBe('one two three four');
    const cut = searchableText('x'.repeat(50), 20);
    expect(cut).toBe('x'.repeat(20));
    for (const limit of [10, 25, 61]) expect(searchableText(text, limit).length).toBeLessThanOrEqual(limit);
  });

  it('turns control characters into spaces, so what a question may not hold does not refuse a message', () => {
    const text = searchableText('Iran\u0000denied\u0007 the claims', 100);
    expect(text).toBe('Iran denied the claims');
    expect(normalizeQuestion(text, 100)).toBe(text);
    expect(() => normalizeQuestion('Iran\u0000denied', 100)).toThrow(InvalidQuestionError);
  });
});
