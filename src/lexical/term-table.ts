import { inverseDocumentFrequency, weighQuery, type Bm25Query, type WeightedTerm } from './bm25.js';
import { termsExtendingIn } from './term-prefixes.js';

/**
 * A corpus' term statistics as a table of terms and their document frequencies, without the
 * postings: what a question is analysed with when the postings are kept elsewhere (a database).
 * Weighs queries exactly as `Bm25Index` does over the same passages.
 */
export class TermTable {
  readonly #entries = new Map<string, { termId: number; df: number }>();
  readonly #sorted: string[];

  constructor(
    rows: Iterable<{ term: string; df: number }>,
    /** The number of passages. */
    readonly passages: number,
  ) {
    for (const { term, df } of rows) this.#entries.set(term, { termId: this.#entries.size, df });
    this.#sorted = [...this.#entries.keys()].sort();
  }

  get size(): number {
    return this.#entries.size;
  }

  documentFrequency(term: string): number {
    return this.#entries.get(term)?.df ?? 0;
  }

  idf(term: string): number {
    const df = this.documentFrequency(term);
    return df === 0 ? 0 : inverseDocumentFrequency(this.passages, df);
  }

  termsExtending(prefix: string, extra: number): string[] {
    return termsExtendingIn(this.#sorted, prefix, extra);
  }

  prepareTerms(terms: readonly WeightedTerm[], groups: number): Bm25Query {
    return weighQuery(terms, groups, this.passages, (term) => this.#entries.get(term));
  }
}
