import type { Bm25Hit, Bm25Query, WeightedTerm } from '../lexical/bm25.js';
import type { Passage } from '../passages/passage.js';
import type { IndexManifest } from './manifest.js';
import type { VectorHit } from './vector-index.js';

/**
 * An index version as retrieval reads it, wherever it is kept: in memory from the index folder
 * (`CorpusIndex`) or in a database (`backends/postgres`). Ranking, confidence, collapsing and
 * quoting run on top of it unchanged; a backend only finds candidates and their evidence.
 */
export interface SearchIndex {
  readonly version: string;
  readonly manifest: IndexManifest;
  /** The corpus' term statistics, read while a question is analysed (many small lookups, so in memory). */
  readonly terms: TermStatistics;
  /** Whether some passage has `terms` (analysed) one after another. */
  hasPhrase(terms: readonly string[]): Promise<boolean>;
  /** One question's candidates from each signal, and what is needed to weigh any of them. */
  gather(request: CandidateRequest): Promise<CandidateEvidence>;
  passage(id: number): Promise<Passage | undefined>;
}

export interface TermStatistics {
  /** How many passages contain `term` (an analysed term). */
  documentFrequency(term: string): number;
  /** The inverse document frequency BM25 weighs `term` with (0 for a term no passage contains). */
  idf(term: string): number;
  /** The indexed terms that are `prefix` followed by 1 to `extra` more characters. */
  termsExtending(prefix: string, extra: number): string[];
  /** A BM25 query weighted with these statistics. */
  prepareTerms(terms: readonly WeightedTerm[], groups: number): Bm25Query;
}

/** Which passages a search may return: of one document, of what one server sees (null: a DM), or all. */
export interface PassageScope {
  source?: string;
  server?: string | null;
}

export interface CandidateRequest {
  /** The question's embedding; null when the mode uses no model. */
  vector: Float32Array | null;
  query: Bm25Query;
  /** Whether BM25 contributes candidates (not in dense mode). */
  lexical: boolean;
  /** Candidates each signal contributes. */
  limit: number;
  scope: PassageScope | undefined;
  /** Whether the BM25 score of each candidate's whole document is wanted (hybrid ranking). */
  documentScores: boolean;
}

/**
 * The candidates of one question and their evidence. Each accessor answers for any candidate of
 * `dense` or `lexical`; scores a signal did not find the candidate with are computed exactly.
 */
export interface CandidateEvidence {
  dense: readonly VectorHit[];
  lexical: readonly Bm25Hit[];
  passage(id: number): Passage;
  /** Cosine similarity to the question's embedding (0 without one). */
  similarity(id: number): number;
  /** The BM25 score of the passage (0 if it shares no term). */
  bm25(id: number): number;
  /** The BM25 score of the passage's whole document (0 unless `documentScores` was asked for). */
  documentScore(id: number): number;
  /** The query's words (groups) the passage contains, with their credit (`Bm25Index.coveredGroups`). */
  coveredGroups(id: number): Map<number, number>;
  /** The passage's distinct terms, for telling near-duplicates apart. */
  termSet(id: number): ReadonlySet<unknown>;
}

