/**
 * Near-duplicate text: the same passage reworded slightly ("abroad but has usually denied
 * involvement" / "abroad, but it has usually denied its involvement"), or copied between files.
 * Sets of words (or of the terms an index made of them) are compared, so punctuation, case and
 * quote styles do not matter.
 */

const DUPLICATE_OVERLAP = 0.8;

export function wordSet(text: string): Set<string> {
  return new Set(text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** Overlap coefficient: how much of the smaller text the larger one contains. */
function overlap<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared += 1;
  return shared / small.size;
}

export function isNearDuplicate<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  // Word counts must be comparable too, or a short passage would duplicate any long one containing it.
  const sizeRatio = Math.min(a.size, b.size) / Math.max(a.size, b.size);
  return sizeRatio >= DUPLICATE_OVERLAP && overlap(a, b) >= DUPLICATE_OVERLAP;
}
