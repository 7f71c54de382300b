/** "North Korea", "Meta, Facebook or Instagram": names as a reader would list them. */
export function listOfNames(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** Why the documents cannot answer a question about names they never mention. */
export function notMentionedSentence(names: readonly string[]): string {
  return `The documents don't mention ${listOfNames(names)}.`;
}

/** What a result leaves out of the question, as search engines show it. */
export function missingLine(missing: readonly string[]): string {
  return `Missing: ${missing.join(', ')}`;
}
