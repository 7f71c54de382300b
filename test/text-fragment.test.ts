import { describe, expect, it } from 'vitest';
import { linkToWords } from '../src/render/text-fragment.js';

describe('links to the quoted words (URL text fragments)', () => {
  it('names a short passage whole, and a long one by its first and last words', () => {
    expect(linkToWords('https://example.com/a', 'Iran denied the claims.')).toBe('https://example.com/a#:~:text=Iran%20denied%20the%20claims.');
    const long = 'The US Secret Service foiled an attempt by Tehran to assassinate the former president in July.';
    expect(linkToWords('https://example.com/a', long)).toBe('https://example.com/a#:~:text=The%20US%20Secret%20Service,former%20president%20in%20July.');
  });

  it("encodes the directive's own delimiters, and follows a fragment the URL already has", () => {
    expect(linkToWords('https://example.com/a', 'pro-Iran groups, Microsoft & others')).toBe(
      'https://example.com/a#:~:text=pro%2DIran%20groups%2C%20Microsoft%20%26%20others',
    );
    expect(linkToWords('https://example.com/a#section', 'one two')).toBe('https://example.com/a#section:~:text=one%20two');
    expect(linkToWords('https://example.com/a#:~:text=first', 'one two')).toBe('https://example.com/a#:~:text=first&text=one%20two');
  });
});
