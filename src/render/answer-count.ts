const SMALL_NUMBERS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** A count as a reader says it: small numbers in words, as style guides spell them. */
export function countInWords(count: number): string {
  return SMALL_NUMBERS[count] ?? String(count);
}

/**
 * Which answers a page shows, of how many there are, in words ("the best three of 15 passages
 * that answer"), lower-case for use inside a line. `first` is the 1-based rank of the page's first.
 */
export function answerCountPhrase(first: number, shown: number, total: number): string {
  if (first === 1 && shown >= total) return total === 1 ? 'the one passage that answers' : `all ${countInWords(total)} passages that answer`;
  const of = `of ${countInWords(total)} passages that answer`;
  if (first === 1) return shown === 1 ? `the best ${of}` : `the best ${countInWords(shown)} ${of}`;
  const last = first + shown - 1;
  return shown === 1 ? `result ${first} ${of}` : `results ${first}–${last} ${of}`;
}

export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
