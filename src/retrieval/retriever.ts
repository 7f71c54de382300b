import { serverOf } from '../corpus/document-scope.js';
import type { Embedder } from '../embeddings/embedder.js';
import type { IndexManifest } from '../index-store/manifest.js';
import type { CandidateEvidence, PassageScope, SearchIndex } from '../index-store/search-index.js';
import type { VectorHit } from '../index-store/vector-index.js';
import { coverageFrom, type Bm25Hit } from '../lexical/bm25.js';
import { isNearDuplicate } from '../passages/near-duplicates.js';
import { locationOf, urlOfPassage, type Passage } from '../passages/passage.js';
import { defaultBridges, type Bridges } from '../lexical/bridges.js';
import { normalizedScoreSum, type FusedHit, type ScoredId } from './fusion.js';
import { QueryCache } from './query-cache.js';
import { answerCheckOf } from './answer-type.js';
import { roleNameCheckOf, type RoleNameCheck } from './role-holder.js';
import { speakerCheckOf, type SpeakerCheck } from './speaker.js';
import { calibrate, type Calibration } from './calibration.js';
import { normalizeQuestion } from './question.js';
import { analyzeQuestion, type QuestionTerms } from './question-terms.js';
import { ACRONYM, expansionsIn } from './acronyms.js';
import { analyzeToken } from '../lexical/analyzer.js';
import { selectQuote } from './quote.js';
import type { Answer, Unstated, RetrievalMode, SearchOptions, SearchResult } from './types.js';

export interface RetrievalSettings {
  mode: RetrievalMode;
  /** Candidates each signal contributes before collapsing and paging. */
  candidates: number;
  /** Hybrid ranking: the weight of the (min-max normalised) BM25 score; the dense score gets the rest. */
  lexicalWeight: number;
  /** Hybrid confidence: the weight of cosine similarity; query-term coverage gets the rest. */
  confidenceDenseWeight: number;
  /**
   * The least confidence that counts as an answer, per mode (see `confidenceOf`); undefined:
   * calibrated on each index with questions nothing answers (`calibration.ts`).
   */
  minConfidence: { dense: number | undefined; lexical: number; hybrid: number | undefined };
  quoteMaxChars: number;
  maxQuestionChars: number;
  defaultResults: number;
  /** Recent questions whose embedding and answers are remembered (0: none). */
  queryCacheSize: number;
  /** BM25 boost of a word bridged to one of the question's (synonym, country ↔ capital); 0: none. */
  bridgeWeight: number;
  /** Decline, naming it, a question about a name that no document mentions. */
  declineUnmentioned: boolean;
  /** Hybrid ranking: the share of the lexical weight given to the BM25 score of the passage's whole document; unset, `documentShareOf` the index. */
  documentWeight: number | undefined;
  /** Hybrid: a result below this share of the best result's score is not counted as an answer (0: every confident match). */
  minScoreRatio: number;
}

interface Scored {
  passage: Passage;
  score: number;
  /** What the passage was weighed with, for its result's "Missing:" and for collapsing. */
  evidence: CandidateEvidence;
}

/** What the confidence of a candidate is computed from; each is 0 when its mode does not use it. */
interface Evidence {
  similarity: number;
  coverage: number;
}

// Index versions × modes whose calibration is remembered: the version in service and the one
// replacing it, in both modes, with room for an evaluation's extra indexes.
const MAX_CALIBRATIONS = 8;

/** The modes whose confidence holds the model's similarity, and so is calibrated per index. */
export type CalibratedMode = Exclude<RetrievalMode, 'lexical'>;
export type IndexCalibration = Record<CalibratedMode, Calibration>;

/** Answers questions from an index: ranks passages, decides whether any answers, and quotes them. */
export class Retriever {
  private readonly cache: QueryCache;
  /** Per index version and mode, most recently used last; only a few are kept. */
  private readonly calibrations = new Map<string, Promise<Calibration>>();
  private readonly calibrationVectors = new Map<string, Promise<Float32Array>>();

  constructor(
    private readonly embedder: Embedder,
    private readonly settings: RetrievalSettings,
    private readonly bridges: Bridges = defaultBridges(),
  ) {
    this.cache = new QueryCache(settings.queryCacheSize);
  }

  async search(index: SearchIndex, question: string, options: SearchOptions = {}): Promise<Answer> {
    const normalized = normalizeQuestion(question, this.settings.maxQuestionChars);
    const { k = this.settings.defaultResults, offset = 0, source, server, mode = this.settings.mode } = options;
    const key = JSON.stringify([normalized, mode, k, offset, source ?? null, server === undefined ? 'all' : server]);
    return this.cache.answer(index.version, key, () => this.answer(index, normalized, { k, offset, source, server, mode }));
  }

  private async answer(
    index: SearchIndex,
    normalized: string,
    { k, offset, source, server, mode }: { k: number; offset: number; source: string | undefined; server: string | null | undefined; mode: RetrievalMode },
  ): Promise<Answer> {
    // Without servers' own documents every passage is visible everywhere: no filter on the hot path.
    const scoped = server !== undefined && holdsServerDocuments(index);
    const scope: PassageScope | undefined =
      source === undefined && !scoped ? undefined : { ...(source === undefined ? {} : { source }), ...(scoped ? { server } : {}) };
    const terms = await this.questionTerms(index, normalized, mode, scope, scoped);
    // A name no document mentions declines the question, and the reply names it. With servers'
    // own documents in the index, judging names on every document would tell one server what
    // another's hold (a name only they mention would be answered around, one nowhere declined),
    // so there a name is judged on what this server's own search finds, and the reply names nothing.
    const judgeNames = this.settings.declineUnmentioned;
    const notMentioned = judgeNames && !scoped ? terms.notMentioned : [];
    const { ranked, unstated } =
      notMentioned.length > 0 ? { ranked: [], unstated: null } : await this.rank(index, normalized, terms, mode, scope, judgeNames && scoped);
    // Cut before collapsing, which compares each match with those kept: a duplicate of a match
    // that makes the cut ranks above it, so makes the cut too, and the result is the same.
    const matches = collapseNearDuplicates(mode === 'hybrid' ? closeToBest(ranked, this.settings.minScoreRatio) : ranked);
    const results = matches.slice(offset, offset + k).map((match, i) => this.toResult(index, terms, match, offset + i + 1));
    return {
      question: normalized,
      answered: matches.length > 0,
      results,
      totalMatches: matches.length,
      notMentioned: [...notMentioned],
      unstated,
      indexVersion: index.version,
      mode,
    };
  }

  /**
   * The question's terms. An acronym the documents do not use is looked for spelled out in the
   * passages the rest of the question finds: "was DHS part of it?" asked of documents that say
   * "the Department of Homeland Security". In a server's scope, whether the documents use it is
   * judged on that search's own candidates (as every name there is), so another server's
   * documents change nothing. Only then is a second search made.
   */
  private async questionTerms(index: SearchIndex, question: string, mode: RetrievalMode, scope: PassageScope | undefined, scoped: boolean): Promise<QuestionTerms> {
    const terms = await analyzeQuestion(question, index, this.bridges, this.settings);
    const acronyms = terms.names
      .flatMap((name) => name.text.split(/\s+/u).filter((word) => ACRONYM.test(word)))
      .filter((acronym) => scoped || terms.notMentioned.some((missing) => missing.split(/\s+/u).includes(acronym)));
    if (acronyms.length === 0) return terms;
    const vector = mode === 'lexical' ? null : await this.cache.embedding(question, () => this.embedder.embedQuery(question));
    const evidence = await index.gather({ vector, query: terms.query, lexical: mode !== 'dense', limit: this.settings.candidates, scope, documentScores: false });
    const ids = [...new Set([...evidence.dense, ...evidence.lexical].map(({ id }) => id))];
    const groupOf = (acronym: string) => terms.evidence.get(analyzeToken(acronym.replace(/['\u2019]s$/u, '')) ?? '')?.group;
    const uncovered = scoped ? acronyms.filter((acronym) => !ids.some((id) => evidence.coveredGroups(id).has(groupOf(acronym) ?? -1))) : acronyms;
    if (uncovered.length === 0) return terms;
    const expansions = expansionsIn(
      ids.map((id) => evidence.passage(id).text),
      uncovered,
    );
    return expansions.size === 0 ? terms : analyzeQuestion(question, index, this.bridges, { ...this.settings, expansions });
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

  /**
   * Where "not found" begins on `index` in a model-based mode, from 40 questions nothing in it
   * answers (`calibration.ts`). Computed once per index version and mode, when first needed;
   * the engine asks for the configured mode's before an index comes into service.
   */
  calibrationOf(index: SearchIndex, mode: CalibratedMode): Promise<Calibration> {
    const key = `${index.version}\u0000${mode}`;
    let calibration = this.calibrations.get(key);
    if (calibration !== undefined) {
      this.calibrations.delete(key);
    } else {
      calibration = calibrate((question) => this.bestConfidence(index, question, mode));
      // A failed calibration is not remembered: the next search tries again.
      const failed = calibration;
      failed.catch(() => {
        if (this.calibrations.get(key) === failed) this.calibrations.delete(key);
      });
      if (this.calibrations.size >= MAX_CALIBRATIONS) this.calibrations.delete(this.calibrations.keys().next().value!);
    }
    this.calibrations.set(key, calibration);
    return calibration;
  }

  /** Both model-based modes' calibrations (for reports: a search needs only its own mode's). */
  async calibration(index: SearchIndex): Promise<IndexCalibration> {
    return { hybrid: await this.calibrationOf(index, 'hybrid'), dense: await this.calibrationOf(index, 'dense') };
  }

  /** Makes the first question to `index` in the configured mode as fast as any: calibrates it if needed. */
  async prepare(index: SearchIndex): Promise<void> {
    await this.threshold(index, this.settings.mode);
  }

  /** The threshold in force: the configured one, else the index's calibrated one. */
  async threshold(index: SearchIndex, mode: RetrievalMode): Promise<number> {
    if (mode === 'lexical') return this.settings.minConfidence.lexical;
    return this.settings.minConfidence[mode] ?? (await this.calibrationOf(index, mode)).threshold;
  }

  /** Confident matches, best first; when there are none because they lack the kind of answer asked for, what they lack. */
  private async rank(
    index: SearchIndex,
    question: string,
    terms: QuestionTerms,
    mode: RetrievalMode,
    scope: PassageScope | undefined,
    namesOnCandidates: boolean,
  ): Promise<{ ranked: Scored[]; unstated: Unstated | null }> {
    const threshold = await this.threshold(index, mode);
    const vector = mode === 'lexical' ? null : await this.cache.embedding(question, () => this.embedder.embedQuery(question));
    const { evidence, ranking } = await this.candidates(index, vector, terms, mode, scope);
    // A passage holding a name the question gives is among BM25's candidates if the scope holds one: names are rare words.
    if (namesOnCandidates && !candidatesHoldEveryName(evidence, ranking, terms)) return { ranked: [], unstated: null };
    const confident = ranking.flatMap(({ id, score, confidence }) => (confidence >= threshold ? [{ passage: evidence.passage(id), score, evidence }] : []));
    // A passage that states no count cannot answer "how many", nor one without a day "which
    // day", however close its topic. The decline says so only when a passage it set aside holds
    // every name of the question: the documents then do speak of it. (In a server's scope, a
    // name only another server's documents hold must not change what the decline says.)
    const check = answerCheckOf(question, this.bridges);
    const ranked = check === null ? confident : confident.filter(({ passage }) => check.holds(passage));
    if (check !== null && ranked.length === 0 && confident.some((match) => holdsEveryName(match, terms))) {
      return { ranked, unstated: { asks: check.asks, role: null } };
    }
    const roleCheck = roleNameCheckOf(question, this.bridges);
    if (roleCheck !== null && leavesRoleUnnamed(roleCheck, ranked, terms)) return { ranked: [], unstated: { asks: 'name', role: roleCheck.role } };
    const speakerCheck = speakerCheckOf(question, this.bridges);
    if (speakerCheck !== null && leavesSpeakerUnquoted(speakerCheck, ranked, terms)) return { ranked: [], unstated: { asks: 'words', role: speakerCheck.speaker } };
    return { ranked, unstated: null };
  }

  /**
   * The most confident any candidate is for a calibration question. Its embedding is kept apart
   * from the users' query cache (it would evict their questions) and reused for every index
   * version: the model does not change while the process runs.
   */
  private async bestConfidence(index: SearchIndex, question: string, mode: CalibratedMode): Promise<number> {
    let vector = this.calibrationVectors.get(question);
    if (vector === undefined) {
      vector = this.embedder.embedQuery(question);
      this.calibrationVectors.set(question, vector);
      vector.catch(() => this.calibrationVectors.delete(question));
    }
    const terms = await analyzeQuestion(question, index, this.bridges, this.settings);
    const { ranking } = await this.candidates(index, await vector, terms, mode, undefined);
    return ranking.reduce((best, { confidence }) => Math.max(best, confidence), 0);
  }

  /** Every candidate either signal finds, ranked by the mode's score, with its confidence. */
  private async candidates(
    index: SearchIndex,
    vector: Float32Array | null,
    { query }: QuestionTerms,
    mode: RetrievalMode,
    scope: PassageScope | undefined,
  ): Promise<{ evidence: CandidateEvidence; ranking: Array<{ id: number; score: number; confidence: number }> }> {
    const { candidates, lexicalWeight } = this.settings;
    const documentShare = documentShareOf(this.settings.documentWeight, index.manifest);
    const evidence = await index.gather({
      vector,
      query,
      lexical: mode !== 'dense',
      limit: candidates,
      scope,
      documentScores: mode === 'hybrid' && documentShare > 0,
    });
    const { dense, lexical } = evidence;
    const ranking =
      mode === 'dense'
        ? dense.map((hit) => ({ id: hit.id, score: hit.similarity }))
        : mode === 'lexical'
          ? lexical
          : fuseExactScores(dense, lexical, evidence, lexicalWeight, documentShare);
    return {
      evidence,
      ranking: ranking.map(({ id, score }) => {
        const weighed: Evidence = {
          similarity: vector === null ? 0 : evidence.similarity(id),
          coverage: mode === 'dense' ? 0 : coverageFrom(query, evidence.coveredGroups(id)),
        };
        return { id, score, confidence: this.confidenceOf(weighed, mode) };
      }),
    };
  }

  private toResult(index: SearchIndex, terms: QuestionTerms, { passage, score, evidence }: Scored, rank: number): SearchResult {
    const document = index.manifest.documents[passage.source]!;
    const quote = selectQuote(passage, terms.evidence, this.settings.quoteMaxChars);
    const covered = evidence.coveredGroups(passage.id);
    return {
      rank,
      passageId: passage.id,
      source: passage.source,
      title: document.title,
      url: urlOfPassage(document.url, passage),
      location: locationOf(passage),
      paragraph: passage.paragraphStart,
      lineStart: passage.lineStart,
      lineEnd: passage.lineEnd,
      score: Math.round(score * 10_000) / 10_000,
      quote: quote.text,
      highlight: quote.highlight,
      quoteSpans: quote.spans,
      passage: passage.text,
      missing: namesLacking(terms, covered).map((name) => name.text),
    };
  }
}

// An index built before its documents' distinctness was measured keeps the share it was ranked with then.
const UNMEASURED_DOCUMENT_SHARE = 0.25;

/**
 * The share of BM25's weight that goes to the BM25 score of a candidate's whole document: as
 * set, else the index's document distinctness. Where every document is about a thing of its own
 * (SciFact's abstracts, 0.725), a document about the question as a whole says more than its best
 * passage; where all are about one subject (the seed articles, 0.076), the document as a whole
 * only pulls generic questions towards the one that repeats the subject most (README, step 5).
 */
export function documentShareOf(setting: number | undefined, manifest: IndexManifest): number {
  if (setting !== undefined) return setting;
  const distinctness = manifest.documentDistinctness;
  return distinctness === undefined ? UNMEASURED_DOCUMENT_SHARE : Math.max(0, distinctness ?? 0);
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
  evidence: CandidateEvidence,
  lexicalWeight: number,
  documentShare: number,
): FusedHit[] {
  const pool = [...new Set([...dense.map((hit) => hit.id), ...lexical.map((hit) => hit.id)])];
  const scoredBy = (score: (id: number) => number): ScoredId[] =>
    pool.map((id) => ({ id, score: score(id) })).sort((x, y) => y.score - x.score || x.id - y.id);
  return normalizedScoreSum([
    { name: 'dense', weight: 1 - lexicalWeight, ranking: scoredBy((id) => evidence.similarity(id)) },
    { name: 'lexical', weight: lexicalWeight * (1 - documentShare), ranking: scoredBy((id) => evidence.bm25(id)) },
    ...(documentShare > 0 ? [{ name: 'document', weight: lexicalWeight * documentShare, ranking: scoredBy((id) => evidence.documentScore(id)) }] : []),
  ]);
}

/**
 * The matches that score at least `ratio` of the best one. Passing the confidence threshold says
 * the corpus answers the question; in a corpus about one subject it is passed by most passages
 * (on the news seeds, 40 of 54 for a typical dev question), and the tail shares a word or two
 * with the question. At half the best, a dev question has 13.5 matches on average instead of 30,
 * and 2 of the answer passages ranked in the first ten are lost (README). Hybrid only: its scores are
 * normalised per question, so a share of the best means the same with any model and corpus,
 * which neither a cosine nor a raw BM25 score does.
 */
function closeToBest(ranked: Scored[], ratio: number): Scored[] {
  const best = ranked[0]?.score ?? 0;
  if (ratio === 0 || best <= 0) return ranked;
  return ranked.filter(({ score }) => score >= ratio * best);
}

/**
 * "Who is the Swiss ambassador…?" asked of documents that speak of the Swiss ambassador, with
 * every name the question gives, but never name them: where the answer would stand, it is not.
 * Declined only when no confident passage names the role, so a document that names the holder
 * anywhere in the corpus still answers.
 */
function leavesRoleUnnamed(check: RoleNameCheck, confident: readonly Scored[], terms: QuestionTerms): boolean {
  if (confident.some(({ passage }) => check.namesRole(passage))) return false;
  return confident.some((match) => holdsEveryName(match, terms) && check.speaksOfRole(match.passage));
}

/**
 * "What did Mike Pompeo say…?" asked of documents that mention him by name, with every name the
 * question gives, but report nothing he said: no confident passage has him as the subject of a
 * verb of saying (`speaker.ts`).
 */
function leavesSpeakerUnquoted(check: SpeakerCheck, confident: readonly Scored[], terms: QuestionTerms): boolean {
  const mentioning = confident.filter(({ passage }) => check.mentions(passage));
  if (!mentioning.some((match) => holdsEveryName(match, terms))) return false;
  // The passages that name the speaker may name them more fully than the question ("Kamala Harris").
  const known = check.withNamesFrom(mentioning.map(({ passage }) => passage.text));
  return !confident.some(({ passage }) => known.quotes(passage));
}

/** The question's names that text covering `covered` (the query's word groups) lacks: neither the name nor a word bridged to it. */
function namesLacking(terms: QuestionTerms, covered: ReadonlySet<number> | ReadonlyMap<number, number>): QuestionTerms['names'] {
  return terms.names.filter((name) => !name.groups.some((group) => covered.has(group)));
}

/** Whether, for every name the question gives, some candidate contains it. */
function candidatesHoldEveryName(evidence: CandidateEvidence, ranking: ReadonlyArray<{ id: number }>, terms: QuestionTerms): boolean {
  const held = new Set<number>();
  for (const { id } of ranking) for (const group of evidence.coveredGroups(id).keys()) held.add(group);
  return namesLacking(terms, held).length === 0;
}

/** Whether a match contains every name the question gives. */
function holdsEveryName({ passage, evidence }: Scored, terms: QuestionTerms): boolean {
  return namesLacking(terms, evidence.coveredGroups(passage.id)).length === 0;
}

const scopedIndexes = new WeakMap<SearchIndex, boolean>();

/** Whether some of the index's documents belong to one server (`document-scope.ts`). */
function holdsServerDocuments(index: SearchIndex): boolean {
  let scoped = scopedIndexes.get(index);
  if (scoped === undefined) {
    scoped = Object.keys(index.manifest.documents).some((source) => serverOf(source) !== null);
    scopedIndexes.set(index, scoped);
  }
  return scoped;
}

/**
 * Keeps the best-ranked of passages that say the same thing (the same text in two files),
 * comparing the term sets the lexical index already holds rather than re-reading every text.
 */
function collapseNearDuplicates(ranked: Scored[]): Scored[] {
  const kept: Array<{ scored: Scored; terms: ReadonlySet<unknown> }> = [];
  for (const scored of ranked) {
    const terms = scored.evidence.termSet(scored.passage.id);
    if (!kept.some((earlier) => isNearDuplicate(earlier.terms, terms))) kept.push({ scored, terms });
  }
  return kept.map(({ scored }) => scored);
}
