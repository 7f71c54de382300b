import type { QuoteSpans } from './quote.js';
import type { AskedFor } from './answer-type.js';

/** What the retrieval engine returns. Every consumer (CLI, Discord bot, evaluation, benchmarks) renders these. */

export const RETRIEVAL_MODES = ['hybrid', 'dense', 'lexical'] as const;
export type RetrievalMode = (typeof RETRIEVAL_MODES)[number];

export interface SearchOptions {
  /** How many results to return (after collapsing near-duplicates). */
  k?: number;
  /** Skip this many results first: "More results" pages through the same ranking. */
  offset?: number;
  /** Restrict to one document, by its source file name. */
  source?: string;
  /**
   * Answer as in this server (null: a DM): from the shared documents and its own, never from
   * another server's (`document-scope.ts`). Undefined: from every document (the CLI, evaluations).
   */
  server?: string | null;
  mode?: RetrievalMode;
}

export interface SearchResult {
  /** 1-based, counting from the first result of the whole ranking (not of the page). */
  rank: number;
  /** Stable id of the passage in the index it came from. */
  passageId: number;
  /** Source file name, relative to the corpus folder, with `/` separators. */
  source: string;
  title: string;
  url: string | null;
  /** Human-readable location, e.g. "paragraph 3, lines 5–6". */
  location: string;
  paragraph: number;
  lineStart: number;
  lineEnd: number;
  score: number;
  /** One to three sentences of the passage, verbatim; `…` marks text left out. */
  quote: string;
  /** The single most relevant sentence: an exact substring of `quote`. */
  highlight: string;
  /** Where `quote` and `highlight` lie in `passage`: what an edge shortens, rather than parsing `quote`. */
  quoteSpans: QuoteSpans;
  /** The whole passage, verbatim from the source. */
  passage: string;
  /** Names the question mentions that this passage does not (as search engines show "Missing: …"). */
  missing: string[];
}

/**
 * What the documents do not state that the question asks for: a count, a day, who holds the role
 * asked about (`role`: the role), or what someone said (`role`: who, as the question names them).
 */
export type Unstated = { asks: Exclude<AskedFor, 'name' | 'words'>; role: null } | { asks: 'name' | 'words'; role: string };

export interface Answer {
  question: string;
  /** False when nothing in the corpus is relevant enough: `results` is then empty. */
  answered: boolean;
  results: SearchResult[];
  /** How many distinct passages matched confidently (before paging). */
  totalMatches: number;
  /** Names in the question that no document mentions; when there are any, the answer is declined. */
  notMentioned: string[];
  /**
   * When the passages about the question hold no answer of the kind it asks for (no count for
   * "how many", no day for "which day", no name beside the role for "who is the…"): the answer
   * is declined, and this says what is missing. Null otherwise.
   */
  unstated: Unstated | null;
  /** Identifies the index that answered; changes whenever a re-index changes the corpus. */
  indexVersion: string;
  /** How the results were ranked, which says what their scores are (see `SCORE_LABELS`). */
  mode: RetrievalMode;
}

/**
 * What a result's `score` is in each mode: they are not on one scale, so every display names it.
 * Hybrid: the fused, normalised score (0–1); dense: cosine similarity; lexical: raw BM25.
 */
export const SCORE_LABELS: Readonly<Record<RetrievalMode, string>> = { hybrid: 'score', dense: 'cosine', lexical: 'BM25' };

export interface SourceInfo {
  source: string;
  title: string;
  url: string | null;
  passages: number;
  /** Content hash of the file as indexed. */
  hash: string;
}
