/** The share of BM25's weight hybrid ranking gives whole documents, and what it comes from (`documentShareOf`). */
export interface DocumentShare {
  share: number;
  /** HYBRID_DOCUMENT_WEIGHT set it. */
  set: boolean;
  /** The index's document distinctness: null when no document has two passages, undefined in an index from before it. */
  distinctness: number | null | undefined;
}

/** The share as the evaluations print it, with where it comes from. */
export function describeDocumentShare({ share, set, distinctness }: DocumentShare): string {
  const where = set
    ? 'set'
    : distinctness === undefined
      ? "the index predates measuring its documents' distinctness"
      : distinctness === null
        ? 'no document has two passages'
        : `the documents' distinctness, ${distinctness.toFixed(3)}`;
  return `Whole documents' share of BM25 (hybrid): ${share.toFixed(3)} (${where}).`;
}
