/**
 * BEIR's retrieval metrics, defined as pytrec_eval (trec_eval) computes them, so our figures are
 * comparable with published ones:
 *
 * - nDCG@k: gain = the qrels grade (linear, trec_eval's `ndcg_cut`), discount log2(rank + 1);
 *   the ideal DCG ranks the query's judged documents by grade.
 * - Recall@k: relevant documents (grade > 0) in the top k / all relevant documents.
 * - MRR@k: 1 / rank of the first relevant document in the top k, else 0 (BEIR's `mrr@k`).
 *
 * As trec_eval does, a run is ranked by score descending, ties broken by document id descending,
 * whatever order it is given in. Means are over every query in the qrels; a query the run has no
 * results for scores 0 (trec_eval `-c`; BEIR's own averaging would skip it).
 */

/** query id → document id → relevance grade. */
export type Qrels = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface ScoredDocument {
  docId: string;
  score: number;
}

/** query id → retrieved documents (any order: they are ranked by score). */
export type Run = ReadonlyMap<string, readonly ScoredDocument[]>;

export interface MetricResult {
  /** Mean over the queries in the qrels. */
  mean: number;
  perQuery: Map<string, number>;
}

export function ndcgAt(qrels: Qrels, run: Run, k: number): MetricResult {
  return perQuery(qrels, run, k, (ranked, judged) => {
    let dcg = 0;
    ranked.forEach((docId, i) => {
      dcg += gain(judged.get(docId)) / Math.log2(i + 2);
    });
    const ideal = [...judged.values()]
      .filter((grade) => grade > 0)
      .sort((x, y) => y - x)
      .slice(0, k)
      .reduce((sum, grade, i) => sum + grade / Math.log2(i + 2), 0);
    return ideal > 0 ? dcg / ideal : 0;
  });
}

export function recallAt(qrels: Qrels, run: Run, k: number): MetricResult {
  return perQuery(qrels, run, k, (ranked, judged) => {
    const relevant = [...judged.values()].filter((grade) => grade > 0).length;
    if (relevant === 0) return 0;
    return ranked.filter((docId) => gain(judged.get(docId)) > 0).length / relevant;
  });
}

export function mrrAt(qrels: Qrels, run: Run, k: number): MetricResult {
  return perQuery(qrels, run, k, (ranked, judged) => {
    const first = ranked.findIndex((docId) => gain(judged.get(docId)) > 0);
    return first < 0 ? 0 : 1 / (first + 1);
  });
}

/** The figures BEIR reports, keyed like "nDCG@10", "Recall@100", "MRR@10", for each cutoff. */
export function evaluate(qrels: Qrels, run: Run, cutoffs: readonly number[] = [10, 100]): Record<string, number> {
  const summary: Record<string, number> = {};
  for (const k of cutoffs) summary[`nDCG@${k}`] = ndcgAt(qrels, run, k).mean;
  for (const k of cutoffs) summary[`Recall@${k}`] = recallAt(qrels, run, k).mean;
  for (const k of cutoffs) summary[`MRR@${k}`] = mrrAt(qrels, run, k).mean;
  return summary;
}

/**
 * Collapses a passage ranking (best first, several passages per document) into a document ranking:
 * each document keeps its best-ranked passage's rank and score. Documents, not passages, are judged.
 */
export function passagesToDocumentRanking(ranking: readonly ScoredDocument[]): ScoredDocument[] {
  const seen = new Set<string>();
  const documents: ScoredDocument[] = [];
  for (const { docId, score } of ranking) {
    if (seen.has(docId)) continue;
    seen.add(docId);
    documents.push({ docId, score });
  }
  return documents;
}

function gain(grade: number | undefined): number {
  return grade !== undefined && grade > 0 ? grade : 0;
}

/** trec_eval's order: score descending, then document id descending; a repeated id counts once. */
function rankTopK(results: readonly ScoredDocument[], k: number): string[] {
  const ranked = [...results].sort(
    (x, y) => y.score - x.score || (x.docId < y.docId ? 1 : x.docId > y.docId ? -1 : 0),
  );
  return passagesToDocumentRanking(ranked)
    .slice(0, k)
    .map((result) => result.docId);
}

function perQuery(
  qrels: Qrels,
  run: Run,
  k: number,
  metric: (ranked: string[], judged: ReadonlyMap<string, number>) => number,
): MetricResult {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`metric cutoff must be a positive integer, got ${k}`);
  const values = new Map<string, number>();
  for (const [queryId, judged] of qrels) {
    values.set(queryId, metric(rankTopK(run.get(queryId) ?? [], k), judged));
  }
  let sum = 0;
  for (const value of values.values()) sum += value;
  return { mean: values.size === 0 ? 0 : sum / values.size, perQuery: values };
}
