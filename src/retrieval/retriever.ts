import type { Embedder } from '../embeddings/embedder.js';
import type { CorpusIndex } from '../index-store/corpus-index.js';
import { isNearDuplicate, wordSet } from '../passages/near-duplicates.js';
import { locationOf, type Passage } from '../passages/passage.js';
import { analyze } from '../lexical/analyzer.js';
import { normalizedScoreSum } from './fusion.js';
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

interface Candidate extends Scored {
  similarity: number;
  coverage: number;
}

/** The share of the question's distinct terms that the passage contains. */
function termCoverage(passage: Passage, questionTerms: ReadonlySet<string>): number {
  if (questionTerms.size === 0) return 0;
  const passageTerms = new Set(analyze(passage.text));
  let shared = 0;
  for (const term of questionTerms) if (passageTerms.has(term)) shared += 1;
  return shared / questionTerms.size;
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
    const matches = collapseNearDuplicates(ranked);
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
  private confidenceOf(candidate: Candidate, mode: RetrievalMode): number {
    const { confidenceDenseWeight: weight } = this.settings;
    switch (mode) {
      case 'dense':
        return candidate.similarity;
      case 'lexical':
        return candidate.coverage;
      case 'hybrid':
        return weight * candidate.similarity + (1 - weight) * candidate.coverage;
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
    const dense = vector === null ? [] : index.vectors.search(vector, candidates, filter);
    const lexical = mode === 'dense' ? [] : index.lexical.search(question, candidates, filter);
    const similarities = new Map(dense.map((hit) => [hit.id, hit.similarity]));
    const ranking =
      mode === 'dense'
        ? dense.map((hit) => ({ id: hit.id, score: hit.similarity }))
        : mode === 'lexical'
          ? lexical
          : normalizedScoreSum([
              { name: 'dense', weight: 1 - lexicalWeight, ranking: dense.map((hit) => ({ id: hit.id, score: hit.similarity })) },
              { name: 'lexical', weight: lexicalWeight, ranking: lexical },
            ]);
    const questionTerms = new Set(analyze(question));
    const threshold = this.settings.minConfidence[mode];
    return ranking.flatMap(({ id, score }) => {
      const passage = index.passages.get(id)!;
      const candidate: Candidate = {
        passage,
        score,
        similarity: vector === null ? 0 : (similarities.get(id) ?? index.vectors.similarity(id, vector)),
        coverage: termCoverage(passage, questionTerms),
      };
      return this.confidenceOf(candidate, mode) >= threshold ? [candidate] : [];
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

/** Keeps the best-ranked of passages that say the same thing (the same text in two files). */
function collapseNearDuplicates(ranked: Scored[]): Scored[] {
  const kept: Array<Scored & { words: Set<string> }> = [];
  for (const candidate of ranked) {
    const words = wordSet(candidate.passage.text);
    if (!kept.some((earlier) => isNearDuplicate(earlier.words, words))) kept.push({ ...candidate, words });
  }
  return kept.map(({ passage, score }) => ({ passage, score }));
}
