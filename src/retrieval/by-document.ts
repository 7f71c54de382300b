import type { SearchResult } from './types.js';

/**
 * Results grouped by their document, so its title is shown once above them: each group in rank
 * order, groups in the order of their best result.
 */
export function byDocument(results: readonly SearchResult[]): SearchResult[][] {
  const groups = new Map<string, SearchResult[]>();
  for (const result of results) {
    const group = groups.get(result.source);
    if (group) group.push(result);
    else groups.set(result.source, [result]);
  }
  return [...groups.values()];
}
