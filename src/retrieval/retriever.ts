import type { Embedder } from '../embeddings/embedder.js';
import type { CorpusIndex } from '../index-store/corpus-index.js';
import type { VectorHit } from '../index-store/vector-index.js';
import type { Bm25Hit } from '../lexical/bm25.js';
import { isNearDuplicate } from '../passages/near-duplicates.js';
import { locationOf, type Passage } from '../passages/passage.js';
import { analyze } from '../lexical/analyzer.js';
import { normalizedScoreSum, type FusedHit, type ScoredId } from './fusion.js';
import { QueryCache } from './query-cache.js';
import { normalizeQuestion } from './question.js';
import { selectQuote } from './quote.js';
import type { Answer, RetrievalMode, SearchOptions, SearchResult } from './types.js';

export interface RetrievalSettings {
  mode: RetrievalMode;
  /** Candidates each signal contributes before collapsing and paging. */
  candidates: number;
  /** Hybrid ranking: the weight of the (min-max normalised) BM25 score; the dense score gets the rest. */
  lexicalWeight: number;
  /** Hybrid confidence: the weight of cosine similarity; query-term coverage gets the rest. */
  confidenceDenseWeight: number;
  /** The least confidence that counts as an answer, per mode (see `confidenceOf`). */
  minConfidence: Record<RetrievalMode, number>;
  quoteMaxChars: number;
  maxQuestionChars: number;
  defaultResults: number;
  /** Recent questions whose embedding and answers are remembered (0: none). */
  queryCacheSize: number;
}

interface Scored {
  passage: Passage;
  score: number;
}

/** What the confidence of a candidate is computed from; each is 0 when its mode does not use it. */
interface Evidence {
  similarity: number;
  coverage: number;
}

/**
 * Words that give a question its form, not its topic: interrogatives and the auxiliary of
 * do-support ("What did Harris condemn?"). BM25 would otherwise match them in passages that merely
 * use them ("which would favor", "likely why"), and they would dilute term coverage. Removed from
 * what is matched lexically only; the embedding model reads the question as asked.
 */
const QUESTION_FORM_WORDS = /\b(?:what|which|who|whom|whose|when|where|why|how|do|does|did)\b/giu;

/** The question's topic words for lexical matching; the question itself if it has no others. */
function lexicalQuery(question: string): string {
  const topic = question.replace(QUESTION_FORM_WORDS, ' ').replace(/\s+/gu, ' ').trim();
  return analyze(topic).length > 0 ? topic : question;
}

/** Answers questions from an index: ranks passages, decides whether any answers, and quotes them. */
export class Retriever {
  private readonly cache: QueryCache;

  constructor(
    private readonly embedder: Embedder,
    private readonly settings: RetrievalSettings,
  ) {
    this.cache = new QueryCache(settings.queryCacheSize);
  }

  async search(index: CorpusIndex, question: string, options: SearchOptions = {}): Promise<Answer> {
    const normalized = normalizeQuestion(question, this.settings.maxQuestionChars);
    const { k = this.settings.defaultResults, offset = 0, source, mode = this.settings.mode } = options;
    const key = JSON.stringify([normalized, mode, k, offset, source ?? null]);
    return this.cache.answer(index.version, key, () => this.answer(index, normalized, { k, offset, source, mode }));
  }

  private async answer(
    index: CorpusIndex,
    normalized: string,
    { k, offset, source, mode }: { k: number; offset: number; source: string | undefined; mode: RetrievalMode },
  ): Promise<Answer> {
    const filter = source === undefined ? undefined : (id: number) => index.passages.get(id)?.source === source;
    const ranked = await this.rank(index, normalized, mode, filter);
    const matches = collapseNearDuplicates(index, ranked);
    const results = matches.slice(offset, offset + k).map((match, i) => this.toResult(index, normalized, match, offset + i + 1));
    return {
      question: normalized,
      answered: matches.length > 0,
      results,
      totalMatches: matches.length,
      indexVersion: index.version,
    };
  }

  /**
   * How sure we are that a candidate answers the question, from 0 to 1. Dense: cosine similarity.
   * Lexical: the share of question terms the passage contains. Hybrid: a weighted sum of both, so
   * that neither a vaguely similar passage nor one sharing a single common word passes alone.
   */
  private confidenceOf({ similarity, coverage }: Evidence, mode: RetrievalMode): number {
    const { confidenceDenseWeight: weight } = this.settings;
    switch (mode) {
      case 'dense':
        return similarity;
      case 'lexical':
        return coverage;
      case 'hybrid':
        return weight * similarity + (1 - weight) * coverage;
    }
  }

  /** Confident matches, best first. */
  private async rank(
    index: CorpusIndex,
    question: string,
    mode: RetrievalMode,
    filter: ((id: number) => boolean) | undefined,
  ): Promise<Scored[]> {
    const { candidates, lexicalWeight } = this.settings;
    const vector = mode === 'lexical' ? null : await this.cache.embedding(question, () => this.embedder.embedQuery(question));
    // Analysed once: every candidate below is scored and covered with it.
    const terms = index.lexical.prepare(lexicalQuery(question));
    const dense = vector === null ? [] : index.vectors.search(vector, candidates, filter);
    const lexical = mode === 'dense' ? [] : index.lexical.search(terms, candidates, filter);
    // Remembered as computed: reading a stored vector back from the graph costs about 45 µs, and
    // fusion and confidence both ask for the passages only BM25 found.
    const similarities = new Map(dense.map((hit) => [hit.id, hit.similarity]));
    const similarityOf = (id: number) => {
      if (vector === null) return 0;
      let similarity = similarities.get(id);
      if (similarity === undefined) {
        similarity = index.vectors.similarity(id, vector);
        similarities.set(id, similarity);
      }
      return similarity;
    };
    const coverageOf = (id: number) => (mode === 'dense' ? 0 : (index.lexical.coverageOf(terms, id) ?? 0));
    const ranking =
      mode === 'dense'
        ? dense.map((hit) => ({ id: hit.id, score: hit.similarity }))
        : mode === 'lexical'
          ? lexical
          : fuseExactScores(dense, lexical, similarityOf, (id) => index.lexical.scoreOf(terms, id) ?? 0, lexicalWeight);
    const threshold = this.settings.minConfidence[mode];
    return ranking.flatMap(({ id, score }) => {
      const evidence: Evidence = { similarity: similarityOf(id), coverage: coverageOf(id) };
      return this.confidenceOf(evidence, mode) >= threshold ? [{ passage: index.passages.get(id)!, score }] : [];
    });
  }

  private toResult(index: CorpusIndex, question: string, { passage, score }: Scored, rank: number): SearchResult {
    const document = index.manifest.documents[passage.source]!;
    const quote = selectQuote(passage, question, this.settings.quoteMaxChars);
    return {
      rank,
      passageId: passage.id,
      source: passage.source,
      title: document.title,
      url: document.url,
      location: locationOf(passage),
      paragraph: passage.paragraphStart,
      lineStart: passage.lineStart,
      lineEnd: passage.lineEnd,
      score: Math.round(score * 10_000) / 10_000,
      quote: quote.text,
      highlight: quote.highlight,
      passage: passage.text,
    };
  }
}

/**
 * Hybrid ranking: every candidate either signal found is scored by both, and the two scores are
 * min-max normalised over that same pool and summed with their weights. Fusing the two lists
 * alone would score a candidate one signal missed as that signal's worst, though it may fall just
 * below its cut-off: a passage BM25 ranks first but a weak embedding model missed would lose the
 * dense half of its score, while the model's own poor picks keep it (use-lite on SciFact train,
 * lexical weight 0.5: nDCG@10 0.596 fusing the lists, 0.663 scoring exactly, BM25 alone 0.658).
 */
function fuseExactScores(
  dense: readonly VectorHit[],
  lexical: readonly Bm25Hit[],
  similarityOf: (id: number) => number,
  bm25Of: (id: number) => number,
  lexicalWeight: number,
): FusedHit[] {
  const pool = [...new Set([...dense.map((hit) => hit.id), ...lexical.map((hit) => hit.id)])];
  const scoredBy = (score: (id: number) => number): ScoredId[] =>
    pool.map((id) => ({ id, score: score(id) })).sort((x, y) => y.score - x.score || x.id - y.id);
  const bm25 = new Map(lexical.map((hit) => [hit.id, hit.score]));
  return normalizedScoreSum([
    { name: 'dense', weight: 1 - lexicalWeight, ranking: scoredBy(similarityOf) },
    { name: 'lexical', weight: lexicalWeight, ranking: scoredBy((id) => bm25.get(id) ?? bm25Of(id)) },
  ]);
}

/**
 * Keeps the best-ranked of passages that say the same thing (the same text in two files),
 * comparing the term sets the lexical index already holds rather than re-reading every text.
 */
function collapseNearDuplicates(index: CorpusIndex, ranked: Scored[]): Scored[] {
  const kept: Array<{ scored: Scored; terms: ReadonlySet<number> }> = [];
  for (const scored of ranked) {
    const terms = index.lexical.termSetOf(scored.passage.id) ?? new Set<number>();
    if (!kept.some((earlier) => isNearDuplicate(earlier.terms, terms))) kept.push({ scored, terms });
  }
  return kept.map(({ scored }) => scored);
}
