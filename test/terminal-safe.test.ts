import { describe, expect, it } from 'vitest';
import { cutAtWords, sentencesWithinLimit } from '../src/passages/long-sentences.js';
import { terminalSafe } from '../src/render/terminal-safe.js';

describe('terminalSafe', () => {
  it('removes CSI, OSC and two-byte escapes in 7- and 8-bit forms, and stray controls, keeping tabs and newlines', () => {
    expect(terminalSafe('a\u001b[2Jb\u001b[31;1mc\u009b1md')).toBe('abcd');
    expect(terminalSafe('title\u001b]0;pwned\u0007 rest \u001b]8;;http://x\u001b\\link')).toBe('title rest link');
    expect(terminalSafe('x\u001bcy\u0000z\r\tq\nw\u007f')).toBe('xyz\tq\nw');
  });

  it('ends an unterminated OSC at the end of its line, so the text after it stays', () => {
    expect(terminalSafe('keep \u001b] rest\nsecond line')).toBe('keep \nsecond line');
  });
});

describe('cutting an over-long run of text', () => {
  it('never splits a surrogate pair, and always makes progress', () => {
    const text = '😀😀😀';
    const parts = cutAtWords(text, { start: 0, end: text.length }, 1);
    expect(parts.map((part) => text.slice(part.start, part.end))).toEqual(['😀', '😀', '😀']);
    // A pair is as small as text can be cut: it stays whole even when it counts above the limit.
    expect(sentencesWithinLimit(text, [{ start: 0, end: text.length }], 1, () => 5)).toHaveLength(3);
  });
});
