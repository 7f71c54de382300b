import { describe, expect, it } from 'vitest';
import type { SourceDocument } from '../src/corpus/document.js';
import { splitLines } from '../src/corpus/lines.js';
import type { DocumentEntry } from '../src/index-store/manifest.js';
import { planUpdate, skipWarnings } from '../src/indexing/plan.js';

const document = (source: string, hash: string): SourceDocument => ({ source, title: source, url: null, text: 'x', hash, bytes: 1, lines: splitLines('x'), extractor: 'text@1', blocks: null });
const entry = (hash: string): DocumentEntry => ({ hash, title: '', url: null, bytes: 1, passageIds: [], duplicates: 0 });

describe('planning an update', () => {
  it('embeds new and changed files, drops removed ones, and keeps a file caught mid-rewrite at its last version', () => {
    const previous = { 'same.txt': entry('a'), 'edited.txt': entry('b'), 'gone.txt': entry('c'), 'rewriting.txt': entry('d') };
    const skipped = [
      { source: 'rewriting.txt', reason: 'it is empty', transient: true },
      { source: 'new-empty.txt', reason: 'it is empty', transient: true },
      { source: 'binary.txt', reason: 'it looks binary' },
    ];
    const plan = planUpdate([document('same.txt', 'a'), document('edited.txt', 'B'), document('new.txt', 'e')], skipped, previous);
    expect(plan.present).toEqual(['edited.txt', 'new.txt', 'rewriting.txt', 'same.txt']);
    expect(plan.added).toEqual(['new.txt']);
    expect(plan.changed).toEqual(['edited.txt']);
    expect(plan.removed).toEqual(['gone.txt']);
    expect([...plan.toEmbed].sort()).toEqual(['edited.txt', 'new.txt']);
    expect([...plan.heldOver]).toEqual(['rewriting.txt']);
    expect(skipWarnings(skipped, plan)).toEqual([
      'rewriting.txt was not indexed again: it is empty; its previously indexed version is kept.',
      'Skipped new-empty.txt: it is empty.',
      'Skipped binary.txt: it looks binary.',
    ]);
  });

  it('extracts a file again when another extraction reads it, though its bytes are the same', () => {
    const markdown = { ...document('guide.md', 'a'), extractor: 'markdown@1' };
    const plain = document('notes.txt', 'b');
    // Indexes from before formats recorded no extractor: they read every file as plain text.
    const before = { 'guide.md': entry('a'), 'notes.txt': entry('b') };
    expect(planUpdate([markdown, plain], [], before).changed).toEqual(['guide.md']);
    const now = { 'guide.md': { ...entry('a'), extractor: 'markdown@1' }, 'notes.txt': { ...entry('b'), extractor: 'text@1' } };
    expect(planUpdate([markdown, plain], [], now).changed).toEqual([]);
    expect(planUpdate([{ ...markdown, extractor: 'markdown@2' }, plain], [], now).changed).toEqual(['guide.md']);
  });
});
