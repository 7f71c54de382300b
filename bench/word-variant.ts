import type { BeirDocument } from '../src/eval/beir-dataset.js';

/**
 * Deterministic variation of real text, to grow a corpus past the size of its source: copy n
 * swaps about a third of the distinct words (of four letters or more) for other words of the
 * same corpus, the same swap everywhere in that copy. A third is enough that a copy is no
 * near-duplicate of its original (which the engine would collapse into one result: it needs 80%
 * of the words shared), while sentences, punctuation and lengths stay those of the real text.
 */

const WORD = /\p{L}{4,}/gu;

/** The corpus's own words of four letters or more that occur at least `minCount` times, sorted. */
export function vocabularyOf(documents: readonly BeirDocument[], minCount = 3): string[] {
  const counts = new Map<string, number>();
  for (const { title, text } of documents) {
    for (const [word] of `${title} ${text}`.toLowerCase().matchAll(WORD)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n >= minCount).map(([word]) => word).sort();
}

/** FNV-1a: a stable 32-bit hash, so a copy is the same on every machine and run. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function varyWords(text: string, copy: number, vocabulary: readonly string[]): string {
  if (copy === 0) return text;
  return text.replace(WORD, (word) => {
    const h = hash(`${copy}:${word.toLowerCase()}`);
    if (h % 3 !== 0) return word;
    const swap = vocabulary[Math.floor(h / 3) % vocabulary.length]!;
    return word[0] === word[0]!.toUpperCase() ? swap[0]!.toUpperCase() + swap.slice(1) : swap;
  });
}
