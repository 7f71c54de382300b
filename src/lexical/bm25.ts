import { analyze } from './analyzer.js';
import { BM25_FORMAT, validateBm25Json, type Bm25Json } from './bm25-json.js';
import { termsExtendingIn } from './term-prefixes.js';
import { TopHits, type ScoredHit } from './top-hits.js';

/**
 * Incremental BM25 over passages keyed by integer ids, scored as Lucene's `BM25Similarity`
 * (which Anserini's BEIR baselines use), except that document lengths are exact rather than
 * Lucene's one-byte approximation:
 *
 *   score(q, d) = Σ_{t ∈ q} qtf(t) · idf(t) · tf / (tf + k1 · (1 − b + b · |d| / avgdl))
 *   idf(t)      = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
 *
 * Lucene drops classic BM25's constant (k1 + 1) factor; rankings are the same either way. A term
 * repeated in the query counts once per repetition, as in Anserini's bag-of-words queries.
 *
 * Every statistic (N, df, total length) is an exact integer maintained on add/remove, and each
 * document's score is summed in query-term order, so an index reached through any sequence of
 * adds and removes scores bit-for-bit like one built from scratch over the same passages.
 */

export interface Bm25Params {
  k1: number;
  b: number;
}

/** Lucene's / Anserini's defaults. */
export const DEFAULT_BM25_PARAMS: Readonly<Bm25Params> = { k1: 0.9, b: 0.4 };

export type Bm25Hit = ScoredHit;

/** A term's postings as growable parallel arrays of passage slots and term frequencies. */
interface Postings {
  slots: Int32Array;
  tfs: Int32Array;
  /** Entries in use, including those of removed passages (skipped until the next compaction). */
  length: number;
  /** Live passages containing the term. */
  df: number;
}

interface QueryTerm {
  termId: number;
  /** The analysed term itself, for backends that look it up by name. */
  term: string;
  /** boost · qtf · idf */
  weight: number;
  /** Which of the query's words this term stands for (a word and the terms bridged to it share one). */
  group: number;
  boost: number;
}

/**
 * A term to search for, already analysed: `boost` scales its BM25 weight (1 for the user's own
 * words, less for a word bridged to one of them) and `group` names the user's word it stands
 * for, so that coverage counts each of the user's words once however many terms stand for it.
 */
export interface WeightedTerm {
  term: string;
  boost: number;
  group: number;
}

/**
 * A query analysed once against an index, for scoring many passages with it (`search`,
 * `scoreOf`, `coverageOf`). Its weights hold the index's statistics when it was made, so it is
 * only valid for that index until the next add or remove.
 */
export interface Bm25Query {
  readonly terms: readonly QueryTerm[];
  /** The query's words (term groups), including those no passage contains. */
  readonly distinctTerms: number;
}

const REMOVED = -1;

/** How passages form groups (documents) for `groupScores`, and the group lengths worked out from it per index. */
export interface PassageGrouping {
  groupOf(id: number): number;
  membersOf(group: number): readonly number[];
  readonly lengths: WeakMap<Bm25Index, Map<number, number>>;
}

export class Bm25Index {
  readonly k1: number;
  readonly b: number;

  readonly #termIds = new Map<string, number>();
  #terms: string[] = [];
  #postings: Postings[] = [];

  // Passages live in slots; a removed passage's slot is only reclaimed by compaction, so postings
  // never need to be searched for the entries to delete.
  readonly #slotOf = new Map<number, number>();
  #slotId: number[] = [];
  #slotLength: number[] = [];
  #slotTermIds: Int32Array[] = [];
  #slotTfs: Int32Array[] = [];
  #removedSlots = 0;
  #totalLength = 0;

  /** Per-slot score accumulator reused across searches; all zero between searches. */
  #scores = new Float64Array(0);
  /** The slots a search has scored, reused across searches (a common term touches thousands). */
  #touched = new Int32Array(0);
  /** `#lengthNorms` as last computed, and the average length it was computed for. */
  #norms: { avgLength: number; values: Float64Array } | undefined;
  /** Per term id, its position in the query being read (`#markQuery`); -1 between calls. */
  #queryPositions = new Int32Array(0);
  /** Live terms in order, for prefix lookups; built on first use, dropped by any change. */
  #sortedTerms: string[] | undefined;

  constructor(params: Partial<Bm25Params> = {}) {
    const { k1, b } = { ...DEFAULT_BM25_PARAMS, ...params };
    if (!Number.isFinite(k1) || k1 < 0) throw new RangeError(`BM25 k1 must be a finite number ≥ 0, got ${k1}`);
    if (!Number.isFinite(b) || b < 0 || b > 1) throw new RangeError(`BM25 b must be between 0 and 1, got ${b}`);
    this.k1 = k1;
    this.b = b;
  }

  /** Number of passages indexed. */
  get size(): number {
    return this.#slotOf.size;
  }

  has(id: number): boolean {
    return this.#slotOf.has(id);
  }

  /** Indexes `text` under `id`. Throws if `id` is already indexed: remove it first to replace it. */
  add(id: number, text: string): void {
    if (!Number.isSafeInteger(id)) throw new RangeError(`BM25 passage ids must be safe integers, got ${id}`);
    if (this.#slotOf.has(id)) throw new Error(`BM25 passage ${id} is already indexed`);
    const counts = new Map<string, number>();
    const terms = analyze(text);
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);

    this.#sortedTerms = undefined;
    const slot = this.#slotId.length;
    const termIds = new Int32Array(counts.size);
    const tfs = new Int32Array(counts.size);
    let i = 0;
    for (const [term, tf] of counts) {
      const termId = this.#termId(term);
      appendPosting(this.#postingsOf(termId), slot, tf);
      termIds[i] = termId;
      tfs[i] = tf;
      i++;
    }
    this.#slotOf.set(id, slot);
    this.#slotId.push(id);
    this.#slotLength.push(terms.length);
    this.#slotTermIds.push(termIds);
    this.#slotTfs.push(tfs);
    this.#totalLength += terms.length;
  }

  /** Removes passage `id`; returns false if it was not indexed. */
  remove(id: number): boolean {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return false;
    this.#sortedTerms = undefined;
    for (const termId of this.#slotTermIds[slot] ?? []) this.#postingsOf(termId).df--;
    this.#totalLength -= this.#slotLength[slot] ?? 0;
    this.#slotOf.delete(id);
    this.#slotId[slot] = REMOVED;
    this.#slotTermIds[slot] = EMPTY;
    this.#slotTfs[slot] = EMPTY;
    this.#removedSlots++;
    // Compacting once removed slots outnumber live ones keeps the cost amortised O(1) per remove
    // while bounding the dead postings a search has to skip.
    if (this.#removedSlots > this.#slotOf.size) this.#compact();
    return true;
  }

  /**
   * The `limit` best passages for `query` that pass `filter`, by score descending then id
   * ascending. Only passages sharing at least one term with the query are returned. `filter` is
   * consulted only for passages that would otherwise make the cut.
   */
  search(query: string | Bm25Query, limit: number, filter?: (id: number) => boolean): Bm25Hit[] {
    if (!(limit > 0) || this.size === 0) return [];
    const queryTerms = this.#prepared(query).terms;
    if (this.#scores.length < this.#slotId.length) {
      this.#scores = new Float64Array(this.#slotId.length);
      this.#touched = new Int32Array(this.#slotId.length);
    }
    const scores = this.#scores;
    const touched = this.#touched;
    let touchedCount = 0;
    const slotId = this.#slotId;
    const norms = this.#lengthNorms();

    for (const { termId, weight } of queryTerms) {
      const { slots, tfs, length } = this.#postingsOf(termId);
      for (let i = 0; i < length; i++) {
        const slot = slots[i]!;
        if (slotId[slot] === REMOVED) continue;
        const previous = scores[slot]!;
        // Every contribution is > 0 (idf > 0, tf ≥ 1), so 0 means "not yet touched".
        if (previous === 0) touched[touchedCount++] = slot;
        // termScore with the passage's length term looked up: the same arithmetic, so the same score.
        const tf = tfs[i]!;
        scores[slot] = previous + (weight * tf) / (tf + norms[slot]!);
      }
    }

    const best = new TopHits(Math.min(limit, touchedCount));
    for (let t = 0; t < touchedCount; t++) {
      const slot = touched[t]!;
      const score = scores[slot]!;
      scores[slot] = 0;
      const id = slotId[slot]!;
      if (best.accepts(id, score) && (filter === undefined || filter(id))) best.push(id, score);
    }
    return best.sorted();
  }

  /**
   * BM25 over groups of passages (their documents) as if each group were one text: term
   * frequencies and lengths summed over the group's passages. Each term keeps the weight it has
   * for passages (its passage idf): counting document frequencies in groups would cost a pass over
   * the term's postings for every new query term, and as one signal among those fused the two
   * idfs rank alike. Scores only `groups` (a query's candidates' documents), so its cost follows
   * the candidates, not the corpus; a group sharing no term with the query scores 0. Group
   * lengths are worked out once per index and kept in `grouping`: pass the same object for the
   * same index.
   */
  groupScores(query: string | Bm25Query, grouping: PassageGrouping, groups: Iterable<number>): Map<number, number> {
    const lengths = this.#groupLengths(grouping);
    const avgLength = this.#totalLength / Math.max(1, lengths.size);
    const { k1, b } = this;
    const { terms } = this.#prepared(query);
    const scores = new Map<number, number>();
    const tfs = new Float64Array(terms.length);
    const positions = this.#markQuery(terms);
    try {
      for (const group of groups) {
        if (scores.has(group)) continue;
        tfs.fill(0);
        for (const id of grouping.membersOf(group)) {
          const slot = this.#slotOf.get(id);
          if (slot !== undefined) this.#addTermFrequencies(positions, slot, tfs);
        }
        let score = 0;
        terms.forEach(({ weight }, i) => {
          if (tfs[i]! > 0) score += termScore(weight, tfs[i]!, lengths.get(group) ?? 0, avgLength, k1, b);
        });
        scores.set(group, score);
      }
    } finally {
      this.#unmarkQuery(terms);
    }
    return scores;
  }

  #groupLengths(grouping: PassageGrouping): Map<number, number> {
    let lengths = grouping.lengths.get(this);
    if (lengths === undefined) {
      lengths = new Map<number, number>();
      this.#slotId.forEach((id, slot) => {
        if (id === REMOVED) return;
        const group = grouping.groupOf(id);
        lengths!.set(group, (lengths!.get(group) ?? 0) + this.#slotLength[slot]!);
      });
      grouping.lengths.set(this, lengths);
    }
    return lengths;
  }

  /**
   * The score `search` would give passage `id` for `query` (0 if they share no term), or
   * undefined if `id` is not indexed. Lets a fusion step score candidates found elsewhere.
   */
  scoreOf(query: string | Bm25Query, id: number): number | undefined {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return undefined;
    const prepared = this.#prepared(query);
    const tfs = this.#queryTermFrequencies(prepared.terms, slot);
    return passageScore(prepared, (_termId, i) => tfs[i]!, this.#slotLength[slot]!, this.#totalLength / this.size, this);
  }

  /**
   * The share of the query's distinct terms that passage `id` contains (0 for a query without
   * terms), or undefined if `id` is not indexed.
   */
  coverageOf(query: string | Bm25Query, id: number): number | undefined {
    const prepared = this.#prepared(query);
    const covered = this.coveredGroups(prepared, id);
    return covered === undefined ? undefined : coverageFrom(prepared, covered);
  }

  /**
   * The query's words (groups) that passage `id` contains, each with its credit: 1 when the
   * passage has the word itself, the bridged term's boost when it only has a word bridged to it.
   * Undefined if `id` is not indexed.
   */
  coveredGroups(query: string | Bm25Query, id: number): Map<number, number> | undefined {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return undefined;
    const prepared = this.#prepared(query);
    const tfs = this.#queryTermFrequencies(prepared.terms, slot);
    return coveredGroupsOf(prepared, (_termId, i) => tfs[i]! > 0);
  }

  /** How many passages contain `term` (an analysed term). */
  documentFrequency(term: string): number {
    const termId = this.#termIds.get(term);
    return termId === undefined ? 0 : this.#postingsOf(termId).df;
  }

  /** The inverse document frequency BM25 weighs `term` with (0 for a term no passage contains). */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    return df === 0 ? 0 : inverseDocumentFrequency(this.size, df);
  }

  /** The passages that contain every one of `terms` (analysed terms), up to `limit`. */
  passagesWithAll(terms: readonly string[], limit = Infinity): number[] {
    const termIds = terms.map((term) => this.#termIds.get(term));
    if (termIds.length === 0 || termIds.some((termId) => termId === undefined || this.#postingsOf(termId).df === 0)) return [];
    const [rarest, ...others] = (termIds as number[]).sort((x, y) => this.#postingsOf(x).df - this.#postingsOf(y).df);
    const { slots, length } = this.#postingsOf(rarest!);
    const found: number[] = [];
    for (let i = 0; i < length && found.length < limit; i++) {
      const slot = slots[i]!;
      if (this.#slotId[slot] === REMOVED) continue;
      const slotTerms = this.#slotTermIds[slot]!;
      if (others.every((termId) => slotTerms.includes(termId))) found.push(this.#slotId[slot]!);
    }
    return found;
  }

  /** The indexed terms that are `prefix` followed by 1 to `extra` more characters ("america" → "american"). */
  termsExtending(prefix: string, extra: number): string[] {
    this.#sortedTerms ??= this.#terms.filter((_, termId) => this.#postingsOf(termId).df > 0).sort();
    return termsExtendingIn(this.#sortedTerms, prefix, extra);
  }

  /** The distinct terms of passage `id` (as term numbers of this index), or undefined if it is not indexed. */
  termSetOf(id: number): ReadonlySet<number> | undefined {
    const slot = this.#slotOf.get(id);
    return slot === undefined ? undefined : new Set(this.#slotTermIds[slot]);
  }

  /** Analyses `query` once, for scoring many passages with it. Each distinct term is one group. */
  prepare(query: string): Bm25Query {
    const groups = new Map<string, number>();
    const terms = analyze(query).map((term) => {
      if (!groups.has(term)) groups.set(term, groups.size);
      return { term, boost: 1, group: groups.get(term)! };
    });
    return this.prepareTerms(terms, groups.size);
  }

  /**
   * A query from terms already analysed and weighted (the user's words and the words bridged to
   * them). A term listed twice with the same boost counts twice (qtf), as in `prepare`; a term
   * listed with several boosts keeps its first.
   */
  prepareTerms(terms: readonly WeightedTerm[], groups: number): Bm25Query {
    return weighQuery(terms, groups, this.size, (term) => {
      const termId = this.#termIds.get(term);
      return termId === undefined ? undefined : { termId, df: this.#postingsOf(termId).df };
    });
  }

  toJSON(): Bm25Json {
    const ids = [...this.#slotOf.keys()].sort((x, y) => x - y);
    const positionOfSlot = new Int32Array(this.#slotId.length);
    ids.forEach((id, position) => {
      positionOfSlot[this.#slotOf.get(id)!] = position;
    });
    const lengths = ids.map((id) => this.#slotLength[this.#slotOf.get(id)!]!);

    const terms: string[] = [];
    const postings: number[][] = [];
    const live = this.#terms
      .map((term, termId) => ({ term, termId }))
      .filter(({ termId }) => this.#postingsOf(termId).df > 0)
      .sort((x, y) => (x.term < y.term ? -1 : 1));
    for (const { term, termId } of live) {
      const { slots, tfs, length } = this.#postingsOf(termId);
      const entries: Array<[position: number, tf: number]> = [];
      for (let i = 0; i < length; i++) {
        const slot = slots[i]!;
        if (this.#slotId[slot] !== REMOVED) entries.push([positionOfSlot[slot]!, tfs[i]!]);
      }
      entries.sort((x, y) => x[0] - y[0]);
      const flat: number[] = [];
      let previous = 0;
      for (const [position, tf] of entries) {
        flat.push(position - previous, tf);
        previous = position;
      }
      terms.push(term);
      postings.push(flat);
    }
    return { format: BM25_FORMAT, k1: this.k1, b: this.b, ids, lengths, terms, postings };
  }

  /** Rebuilds an index from `toJSON()` output; throws a descriptive error if `json` is not one. */
  static fromJSON(json: unknown): Bm25Index {
    const data = validateBm25Json(json);
    const index = new Bm25Index({ k1: data.k1, b: data.b });
    const docCount = data.ids.length;
    const docTermIds: number[][] = Array.from({ length: docCount }, () => []);
    const docTfs: number[][] = Array.from({ length: docCount }, () => []);

    data.terms.forEach((term, termId) => {
      const flat = data.postings[termId]!;
      const postings = index.#postingsOf(index.#termId(term));
      let position = 0;
      for (let i = 0; i < flat.length; i += 2) {
        position += flat[i]!;
        const tf = flat[i + 1]!;
        appendPosting(postings, position, tf);
        docTermIds[position]!.push(termId);
        docTfs[position]!.push(tf);
      }
    });

    data.ids.forEach((id, position) => {
      const length = data.lengths[position]!;
      const tfSum = docTfs[position]!.reduce((sum, tf) => sum + tf, 0);
      if (tfSum !== length) {
        throw new Error(`BM25 index data is inconsistent: passage ${id} has length ${length} but ${tfSum} term occurrences`);
      }
      index.#slotOf.set(id, position);
      index.#slotId.push(id);
      index.#slotLength.push(length);
      index.#slotTermIds.push(Int32Array.from(docTermIds[position]!));
      index.#slotTfs.push(Int32Array.from(docTfs[position]!));
      index.#totalLength += length;
    });
    return index;
  }

  #termId(term: string): number {
    let termId = this.#termIds.get(term);
    if (termId === undefined) {
      termId = this.#terms.length;
      this.#termIds.set(term, termId);
      this.#terms.push(term);
      this.#postings.push({ slots: new Int32Array(4), tfs: new Int32Array(4), length: 0, df: 0 });
    }
    return termId;
  }

  /**
   * Marks each query term's position by its term id, so that a passage's terms are read once
   * each (a lookup per term) rather than searched for every query term: with a question of 15
   * terms and passages of 100, 100 lookups instead of 1,500 comparisons per candidate passage.
   * Every mark is undone by `#unmarkQuery`.
   */
  #markQuery(terms: readonly QueryTerm[]): Int32Array {
    if (this.#queryPositions.length < this.#terms.length) this.#queryPositions = new Int32Array(this.#terms.length).fill(-1);
    terms.forEach(({ termId }, i) => (this.#queryPositions[termId] = i));
    return this.#queryPositions;
  }

  #unmarkQuery(terms: readonly QueryTerm[]): void {
    for (const { termId } of terms) this.#queryPositions[termId] = -1;
  }

  /** Adds the frequency in `slot` of each marked query term to `tfs`, at the term's position. */
  #addTermFrequencies(positions: Int32Array, slot: number, tfs: Float64Array): void {
    const termIds = this.#slotTermIds[slot]!;
    const slotTfs = this.#slotTfs[slot]!;
    for (let j = 0; j < termIds.length; j++) {
      const i = positions[termIds[j]!]!;
      if (i >= 0) tfs[i]! += slotTfs[j]!;
    }
  }

  /** Each query term's frequency in `slot`, in query order. */
  #queryTermFrequencies(terms: readonly QueryTerm[], slot: number): Float64Array {
    const tfs = new Float64Array(terms.length);
    const positions = this.#markQuery(terms);
    try {
      this.#addTermFrequencies(positions, slot, tfs);
    } finally {
      this.#unmarkQuery(terms);
    }
    return tfs;
  }

  /**
   * Per slot, the length term of BM25's denominator, `k1 · (1 − b + b · length / avgLength)`:
   * computed once per state of the index rather than for every posting of every search.
   */
  #lengthNorms(): Float64Array {
    const avgLength = this.#totalLength / this.size;
    const cached = this.#norms;
    if (cached !== undefined && cached.avgLength === avgLength && cached.values.length === this.#slotLength.length) return cached.values;
    const { k1, b } = this;
    const values = Float64Array.from(this.#slotLength, (length) => k1 * (1 - b + (b * length) / avgLength));
    this.#norms = { avgLength, values };
    return values;
  }

  #postingsOf(termId: number): Postings {
    return this.#postings[termId]!;
  }

  #prepared(query: string | Bm25Query): Bm25Query {
    return typeof query === 'string' ? this.prepare(query) : query;
  }

  /** Drops removed slots and unused terms, renumbering what remains. */
  #compact(): void {
    const newSlot = new Int32Array(this.#slotId.length).fill(REMOVED);
    const slotId: number[] = [];
    const slotLength: number[] = [];
    const slotTermIds: Int32Array[] = [];
    const slotTfs: Int32Array[] = [];
    this.#slotId.forEach((id, slot) => {
      if (id === REMOVED) return;
      newSlot[slot] = slotId.length;
      this.#slotOf.set(id, slotId.length);
      slotId.push(id);
      slotLength.push(this.#slotLength[slot]!);
      slotTermIds.push(this.#slotTermIds[slot]!);
      slotTfs.push(this.#slotTfs[slot]!);
    });

    const newTermId = new Int32Array(this.#terms.length).fill(REMOVED);
    const terms: string[] = [];
    const postings: Postings[] = [];
    this.#termIds.clear();
    this.#terms.forEach((term, termId) => {
      const old = this.#postingsOf(termId);
      if (old.df === 0) return;
      const kept: Postings = { slots: new Int32Array(old.df), tfs: new Int32Array(old.df), length: 0, df: old.df };
      for (let i = 0; i < old.length; i++) {
        const slot = newSlot[old.slots[i]!]!;
        if (slot !== REMOVED) appendPosting(kept, slot, old.tfs[i]!, false);
      }
      newTermId[termId] = terms.length;
      this.#termIds.set(term, terms.length);
      terms.push(term);
      postings.push(kept);
    });
    for (const termIds of slotTermIds) {
      for (let i = 0; i < termIds.length; i++) termIds[i] = newTermId[termIds[i]!]!;
    }

    this.#slotId = slotId;
    this.#slotLength = slotLength;
    this.#slotTermIds = slotTermIds;
    this.#slotTfs = slotTfs;
    this.#terms = terms;
    this.#postings = postings;
    this.#removedSlots = 0;
  }
}

const EMPTY = new Int32Array(0);

/**
 * A query from analysed, weighted terms against any index's statistics (`lookup`: a term's
 * number and document frequency, undefined if no passage has it): distinct known terms in
 * first-occurrence order, each weighted by boost · qtf · idf. A term listed twice with the same
 * boost counts twice (qtf); a term listed with several boosts keeps its first.
 */
export function weighQuery(
  terms: readonly WeightedTerm[],
  groups: number,
  passages: number,
  lookup: (term: string) => { termId: number; df: number } | undefined,
): Bm25Query {
  const counts = new Map<number, { term: string; df: number; qtf: number; boost: number; group: number }>();
  for (const { term, boost, group } of terms) {
    const known = lookup(term);
    if (known === undefined || known.df === 0) continue;
    const seen = counts.get(known.termId);
    if (seen === undefined) counts.set(known.termId, { term, df: known.df, qtf: 1, boost, group });
    else if (seen.boost === boost) seen.qtf += 1;
  }
  const queryTerms = [...counts].map(([termId, { term, df, qtf, boost, group }]) => ({
    termId,
    term,
    weight: boost * qtf * inverseDocumentFrequency(passages, df),
    group,
    boost,
  }));
  return { terms: queryTerms, distinctTerms: groups };
}

/**
 * The BM25 score of one passage, given its term frequencies (`tfOf` a query term's number and
 * its position in the query), summed in query-term order.
 */
export function passageScore(query: Bm25Query, tfOf: (termId: number, position: number) => number, length: number, avgLength: number, { k1, b }: Bm25Params): number {
  let score = 0;
  const { terms } = query;
  for (let i = 0; i < terms.length; i++) {
    const { termId, weight } = terms[i]!;
    const tf = tfOf(termId, i);
    if (tf > 0) score += termScore(weight, tf, length, avgLength, k1, b);
  }
  return score;
}

/**
 * The query's words (groups) a passage contains, each with its credit: 1 when it has the word
 * itself, the bridged term's boost when it only has a word bridged to it.
 */
export function coveredGroupsOf(query: Bm25Query, contains: (termId: number, position: number) => boolean): Map<number, number> {
  const covered = new Map<number, number>();
  const { terms } = query;
  for (let i = 0; i < terms.length; i++) {
    const { termId, group, boost } = terms[i]!;
    if (contains(termId, i)) covered.set(group, Math.max(covered.get(group) ?? 0, Math.min(1, boost)));
  }
  return covered;
}

/** The share of the query's distinct words a passage covers (0 for a query without words). */
export function coverageFrom(query: Bm25Query, covered: ReadonlyMap<number, number>): number {
  if (query.distinctTerms === 0) return 0;
  let shared = 0;
  for (const credit of covered.values()) shared += credit;
  return shared / query.distinctTerms;
}

/** BM25's idf, as Lucene computes it. */
export function inverseDocumentFrequency(passages: number, df: number): number {
  return Math.log(1 + (passages - df + 0.5) / (df + 0.5));
}


export function termScore(weight: number, tf: number, length: number, avgLength: number, k1: number, b: number): number {
  return (weight * tf) / (tf + k1 * (1 - b + (b * length) / avgLength));
}

function appendPosting(postings: Postings, slot: number, tf: number, countsTowardDf = true): void {
  if (postings.length === postings.slots.length) {
    const capacity = Math.max(4, postings.length * 2);
    const slots = new Int32Array(capacity);
    const tfs = new Int32Array(capacity);
    slots.set(postings.slots);
    tfs.set(postings.tfs);
    postings.slots = slots;
    postings.tfs = tfs;
  }
  postings.slots[postings.length] = slot;
  postings.tfs[postings.length] = tf;
  postings.length++;
  if (countsTowardDf) postings.df++;
}
