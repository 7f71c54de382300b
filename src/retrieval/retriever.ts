import type { Embedder } from '../embeddings/embedder.js';
import type { CorpusIndex } from '../index-store/corpus-index.js';
import { isNearDuplicate, wordSet } from '../passages/near-duplicates.js';
import { locationOf, type Passage } from '../passages/passage.js';
import { normalizeQuestion } from './question.js';
import { selectQuote } from './quote.js';
import type { Answer, RetrievalMode, SearchOptions, SearchResult } from './types.js';

export interface RetrievalSettings {
  mode: RetrievalMode;
  /** Candidates each signal contributes before collapsing and paging. */
  candidates: number;
  /** Dense mode: the least cosine similarity that counts as an answer. */
  minSimilarity: number;
  quoteMaxChars: number;
  maxQuestionChars: number;
  defaultResults: number;
}

interface Scored {
  passage: Passage;
  score: number;
}

/** Answers questions from an index: ranks passages, decides whether any answers, and quotes them. */
export class Retriever {
  constructor(
    private readonly embedder: Embedder,
    private readonly settings: RetrievalSettings,
  ) {}

  async search(index: CorpusIndex, question: string, options: SearchOptions = {}): Promise<Answer> {
    const normalized = normalizeQuestion(question, this.settings.maxQuestionChars);
    const { k = this.settings.defaultResults, offset = 0, source, mode = this.settings.mode } = options;
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

  /** Confident matches, best first. */
  private async rank(
    index: CorpusIndex,
    question: string,
    mode: RetrievalMode,
    filter: ((id: number) => boolean) | undefined,
  ): Promise<Scored[]> {
    const { candidates, minSimilarity } = this.settings;
    const passage = (id: number) => index.passages.get(id)!;
    switch (mode) {
      case 'dense': {
        const vector = await this.embedder.embedQuery(question);
        return index.vectors
          .search(vector, candidates, filter)
          .filter((hit) => hit.similarity >= minSimilarity)
          .map((hit) => ({ passage: passage(hit.id), score: hit.similarity }));
      }
      case 'lexical':
        return index.lexical.search(question, candidates, filter).map((hit) => ({ passage: passage(hit.id), score: hit.score }));
      case 'hybrid':
        throw new Error('hybrid retrieval is not wired yet');
    }
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
