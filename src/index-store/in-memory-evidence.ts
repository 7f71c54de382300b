import { isVisibleIn } from '../corpus/document-scope.js';
import { analyze } from '../lexical/analyzer.js';
import type { Bm25Index, Bm25Query, PassageGrouping } from '../lexical/bm25.js';
import type { Passage } from '../passages/passage.js';
import { normOf } from './int8-vectors.js';
import type { IndexManifest } from './manifest.js';
import type { CandidateEvidence, CandidateRequest, PassageScope } from './search-index.js';
import type { VectorIndex } from './vector-index.js';

/** What an index held in memory searches: the parts of a `CorpusIndex`. */
export interface InMemoryParts {
  manifest: IndexManifest;
  passages: ReadonlyMap<number, Passage>;
  vectors: VectorIndex;
  lexical: Bm25Index;
}

const groupings = new WeakMap<InMemoryParts, PassageGrouping>();

/** One question's candidates and evidence from an index in memory: the HNSW graph, the int8 vectors and the BM25 index. */
export function gatherInMemory(index: InMemoryParts, request: CandidateRequest): CandidateEvidence {
  const { vector, query, limit } = request;
  const filter = passageFilter(index, request.scope);
  const dense = vector === null ? [] : index.vectors.search(vector, limit, filter);
  const lexical = request.lexical ? index.lexical.search(query, limit, filter) : [];
  // Remembered as computed: fusion and confidence both ask for the passages only BM25 found.
  const similarities = new Map(dense.map((hit) => [hit.id, hit.similarity]));
  const bm25 = new Map(lexical.map((hit) => [hit.id, hit.score]));
  const vectorNorm = vector === null ? 0 : normOf(vector);
  const documentScore = request.documentScores ? documentScorer(index, query) : () => 0;
  return {
    dense,
    lexical,
    passage: (id) => index.passages.get(id)!,
    similarity(id) {
      if (vector === null) return 0;
      let similarity = similarities.get(id);
      if (similarity === undefined) {
        similarity = index.vectors.similarity(id, vector, vectorNorm);
        similarities.set(id, similarity);
      }
      return similarity;
    },
    bm25: (id) => bm25.get(id) ?? index.lexical.scoreOf(query, id) ?? 0,
    documentScore,
    coveredGroups: (id) => index.lexical.coveredGroups(query, id) ?? new Map<number, number>(),
    termSet: (id) => index.lexical.termSetOf(id) ?? new Set<number>(),
  };
}

/**
 * The BM25 score of a candidate's whole document: a passage of a document that as a whole is
 * about the question ranks above an equal passage of one that merely mentions it.
 */
function documentScorer(index: InMemoryParts, query: Bm25Query): (id: number) => number {
  let grouping = groupings.get(index);
  if (grouping === undefined) {
    const sources = Object.keys(index.manifest.documents);
    const documentOf = new Map(sources.map((source, i) => [source, i]));
    grouping = {
      groupOf: (id) => documentOf.get(index.passages.get(id)!.source)!,
      membersOf: (document) => index.manifest.documents[sources[document]!]!.passageIds,
      lengths: new WeakMap(),
    };
    groupings.set(index, grouping);
  }
  const { groupOf } = grouping;
  const scores = new Map<number, number>();
  return (id) => {
    const document = groupOf(id);
    if (!scores.has(document)) for (const [group, score] of index.lexical.groupScores(query, grouping!, [document])) scores.set(group, score);
    return scores.get(document)!;
  };
}

/** The passages a search may return, or undefined for all. */
function passageFilter(index: InMemoryParts, scope: PassageScope | undefined): ((id: number) => boolean) | undefined {
  if (scope === undefined) return undefined;
  const { source, server } = scope;
  return (id) => {
    const passage = index.passages.get(id);
    return passage !== undefined && (source === undefined || passage.source === source) && (server === undefined || isVisibleIn(passage.source, server));
  };
}

/** Whether some passage has the terms one after another, looking at the texts of passages holding them all. */
export function phraseInMemory(corpus: { lexical: Bm25Index; textOf(id: number): string | undefined }, terms: readonly string[]): boolean {
  if (terms.length === 1) return corpus.lexical.documentFrequency(terms[0]!) > 0;
  return corpus.lexical.passagesWithAll(terms, PHRASE_CANDIDATES).some((id) => containsPhrase(analyze(corpus.textOf(id) ?? ''), terms));
}

// Enough passages to find a phrase in if it is there at all; more would only cost time.
export const PHRASE_CANDIDATES = 50;

/** Whether the analysed text has `terms` one after another. */
export function containsPhrase(text: readonly string[], terms: readonly string[]): boolean {
  return text.some((_, at) => terms.every((term, i) => text[at + i] === term));
}
