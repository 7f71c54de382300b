/** The terms of `sorted` (in code-unit order) that are `prefix` followed by 1 to `extra` more characters ("america" → "american"). */
export function termsExtendingIn(sorted: readonly string[], prefix: string, extra: number): string[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < prefix) low = middle + 1;
    else high = middle;
  }
  const found: string[] = [];
  for (let at = low; at < sorted.length && sorted[at]!.startsWith(prefix); at++) {
    const longer = sorted[at]!.length - prefix.length;
    if (longer > 0 && longer <= extra) found.push(sorted[at]!);
  }
  return found;
}
