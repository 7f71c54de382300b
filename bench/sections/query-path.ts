import type { Embedder } from '../../src/embeddings/embedder.js';
import { NULL_QUESTIONS } from '../../src/retrieval/null-questions.js';
import { CorpusIndex } from '../../src/index-store/corpus-index.js';
import { IndexDirectory } from '../../src/index-store/index-directory.js';
import type { VectorIndex } from '../../src/index-store/vector-index.js';
import { normalizeQuestion } from '../../src/retrieval/question.js';
import { Retriever } from '../../src/retrieval/retriever.js';
import type { RetrievalMode } from '../../src/retrieval/types.js';
import { BruteForceIndex } from '../brute-force.js';
import { openCorpus, type BenchCorpus } from '../corpora.js';
import { count, latencyCells, ms, type SectionResult, type Target } from '../report.js';
import { benchSettings } from '../setup.js';
import { timeAsync, timeSync, type Distribution, type RunPlan } from '../stats.js';
import { DelegatingEmbedder } from '../../test/helpers/delegating-embedder.js';

export interface QueryPathOptions {
  embedder: Embedder;
  /** Questions for the model floor: typical user questions (the seed questions). */
  floorQuestions: string[];
  corpora: BenchCorpus[];
  quick: boolean;
}

interface ScaleFigures {
  scale: string;
  passages: number;
  search: Record<RetrievalMode, Distribution>;
  /** engine.search hybrid with each question's vector computed beforehand: the path minus the model. */
  searchWithoutModel: Distribution;
  exactSearch: { hybrid: Distribution; dense: Distribution };
  /** The vector search alone, at the candidate count the query path asks for. */
  vectorSearch: { k: number; hnsw: Distribution; exact: Distribution };
  /** HNSW against exact search on the corpus's own vectors, for a few efSearch values (the configured one included). */
  recall: RecallFigures[];
  repeatedQuestion: { cacheOff: Distribution; cacheOn: Distribution };
}

const MODES: RetrievalMode[] = ['hybrid', 'dense', 'lexical'];

/**
 * The floor (the model's forward pass for one question) and the whole query path at each corpus
 * scale, in a warm process, one question at a time; the same with exact vector search, and a
 * repeated question with and without the query cache.
 */
export async function queryPathSection(options: QueryPathOptions): Promise<SectionResult> {
  const { embedder, quick } = options;
  const { efSearch } = benchSettings(options.corpora[0]!.corpusDir, options.corpora[0]!.indexDir).index.hnsw;
  const plan = (runs: number, warmup = 10): RunPlan => ({ warmup, runs: quick ? Math.ceil(runs / 3) : runs });
  const floorQuestions = options.floorQuestions;
  const floor = await timeAsync(plan(300, 20), (i) => embedder.embedQuery(floorQuestions[i % floorQuestions.length]!));

  const scales: ScaleFigures[] = [];
  for (const corpus of options.corpora) {
    process.stderr.write(`  query path at ${corpus.label} scale\n`);
    scales.push(await measureScale(corpus, embedder, plan));
  }
  const seed = scales.find((figures) => figures.scale === 'seed');
  const large = scales.find((figures) => figures.scale === '100k') ?? scales.at(-1)!;
  const targets: Target[] = [];
  if (seed) {
    const limit = 1.2 * floor.p50 + 1;
    targets.push({
      what: 'query path (hybrid) at seed scale, p50',
      goal: `≤ 1.2 × floor + 1 ms = ${ms(limit)} ms`,
      measured: `${ms(seed.search.hybrid.p50)} ms (floor ${ms(floor.p50)} ms)`,
      met: seed.search.hybrid.p50 <= limit,
    });
  }
  targets.push({
    what: `HNSW search (VectorIndex.search, k=${large.vectorSearch.k}) at ${large.scale}, p50`,
    goal: '≤ 1 ms',
    measured: `${ms(large.vectorSearch.hnsw.p50)} ms`,
    met: large.vectorSearch.hnsw.p50 <= 1,
  });

  const row = (what: string, figures: ScaleFigures, distribution: Distribution) => [
    what,
    `${figures.scale} (${count(figures.passages)})`,
    ...latencyCells(distribution),
  ];
  return {
    key: 'queryPath',
    figures: { floor, scales },
    targets,
    tables: [
      {
        title: 'Query path: warm process, one question at a time (ms)',
        header: ['what', 'scale (passages)', 'p50', 'p99', 'runs'],
        rows: [
          ['floor: embedder.embedQuery (model forward pass)', '—', ...latencyCells(floor)],
          ...scales.flatMap((figures) => [
            ...MODES.map((mode) => row(`engine.search ${mode}, HNSW`, figures, figures.search[mode])),
            row('  hybrid minus the model (question vectors precomputed)', figures, figures.searchWithoutModel),
            row('engine.search hybrid, exact vectors', figures, figures.exactSearch.hybrid),
            row('engine.search dense, exact vectors', figures, figures.exactSearch.dense),
            row(`VectorIndex.search alone (HNSW, k=${figures.vectorSearch.k})`, figures, figures.vectorSearch.hnsw),
            row(`exact vector search alone (k=${figures.vectorSearch.k})`, figures, figures.vectorSearch.exact),
          ]),
        ],
        note:
          'engine.search is the whole path: question embedding, dense and BM25 search, fusion, confidence, ' +
          'near-duplicate collapse and quotes, with the query cache off. "exact vectors" runs the same path with ' +
          'brute-force cosine search over the stored vectors in place of the HNSW graph. Questions rotate ' +
          '(seed: the 27 seed questions; SciFact scales: the first 200 SciFact queries).',
      },
      {
        title: 'HNSW against exact search on real vectors (the corpus passages, SciFact questions)',
        header: ['scale (passages)', 'efSearch', `p50 ms (k=${large.vectorSearch.k})`, `p99 ms (k=${large.vectorSearch.k})`, 'recall@10', `recall@${large.vectorSearch.k}`, 'questions'],
        rows: scales.flatMap((figures) =>
          figures.recall.map((recall) => [
            `${figures.scale} (${count(figures.passages)})`,
            `${recall.efSearch}${recall.efSearch === efSearch ? ' (default)' : ''}`,
            ms(recall.latency.p50),
            ms(recall.latency.p99),
            recall.at10.toFixed(3),
            recall.atCandidates.toFixed(3),
            String(recall.questions),
          ]),
        ),
        note: 'The graph as the index stores it (configured M and efConstruction); efSearch changed in place.',
      },
      {
        title: 'Repeated question (the same question asked again), hybrid (ms)',
        header: ['scale (passages)', 'cache off p50', 'cache off p99', 'cache on p50', 'cache on p99', 'runs'],
        rows: scales.map((figures) => {
          const { cacheOff, cacheOn } = figures.repeatedQuestion;
          return [`${figures.scale} (${count(figures.passages)})`, ms(cacheOff.p50), ms(cacheOff.p99), ms(cacheOn.p50), ms(cacheOn.p99), String(cacheOn.runs)];
        }),
        note: 'Cache on: QUERY_CACHE_SIZE=256 (the default); a hit skips the model and the search.',
      },
    ],
  };
}

async function measureScale(corpus: BenchCorpus, embedder: Embedder, plan: (runs: number, warmup?: number) => RunPlan): Promise<ScaleFigures> {
  const { engine } = await openCorpus(corpus, embedder);
  const settings = benchSettings(corpus.corpusDir, corpus.indexDir);
  const directory = new IndexDirectory(settings.indexDir);
  // A second copy of the same index for the comparisons: the engine keeps its own private.
  const index = await CorpusIndex.load(directory, engine.indexVersion, settings.index.hnsw.efSearch);
  const exact = BruteForceIndex.fromVectors(await CorpusIndex.readVectors(directory, index.manifest), index.manifest.model.dimension);
  // The retriever reads an index's vectors only through `search` and `similarity`; the exact index
  // has both with the same signatures (checked by this assignment), so the whole query path runs
  // unchanged on exact search. CorpusIndex names the HNSW class, hence the cast.
  const exactVectors: Pick<VectorIndex, 'search' | 'similarity'> = exact;
  const exactIndex = new CorpusIndex(index.manifest, [...index.passages.values()], exactVectors as VectorIndex, index.lexical);
  const uncached = new Retriever(embedder, settings.retrieval);
  const cached = new Retriever(embedder, benchSettings(corpus.corpusDir, corpus.indexDir, { QUERY_CACHE_SIZE: '256' }).retrieval);
  await Promise.all([uncached.calibration(exactIndex), cached.calibration(index)]);

  const { questions } = corpus;
  const question = (i: number) => questions[i % questions.length]!;
  const large = index.passages.size > 50_000;
  const search = {} as Record<RetrievalMode, Distribution>;
  for (const mode of MODES) search[mode] = await timeAsync(plan(large ? 150 : 300), (i) => engine.search(question(i), { mode }));
  const exactRuns = index.passages.size > 5_000 ? (large ? 40 : 100) : 300;
  const exactSearch = {
    hybrid: await timeAsync(plan(exactRuns), (i) => uncached.search(exactIndex, question(i), { mode: 'hybrid' })),
    dense: await timeAsync(plan(exactRuns), (i) => uncached.search(exactIndex, question(i), { mode: 'dense' })),
  };

  const vectors: Float32Array[] = [];
  for (const text of questions) vectors.push(await embedder.embedQuery(normalizeQuestion(text, settings.retrieval.maxQuestionChars)));
  const vector = (i: number) => vectors[i % vectors.length]!;
  // The calibration questions too: each retriever calibrates on its index before it is timed.
  const calibrationVectors: Array<[string, Float32Array]> = [];
  for (const text of NULL_QUESTIONS) calibrationVectors.push([text, await embedder.embedQuery(text)]);
  const precomputed = new PrecomputedQueries(embedder, [
    ...questions.map((text, i): [string, Float32Array] => [normalizeQuestion(text, settings.retrieval.maxQuestionChars), vectors[i]!]),
    ...calibrationVectors,
  ]);
  const withoutModel = new Retriever(precomputed, settings.retrieval);
  await withoutModel.calibration(index);
  const searchWithoutModel = await timeAsync(plan(large ? 150 : 300), (i) => withoutModel.search(index, question(i), { mode: 'hybrid' }));
  const k = settings.retrieval.candidates;
  const vectorSearch = {
    k,
    hnsw: timeSync(plan(1000, 50), (i) => index.vectors.search(vector(i), k)),
    exact: timeSync(plan(exactRuns), (i) => exact.search(vector(i), k)),
  };
  // Seed scale is too small for the graph to miss anything: the configured value only.
  const sweep = index.passages.size > 1_000 ? [...new Set([64, 128, 256, settings.index.hnsw.efSearch])].sort((a, b) => a - b) : [settings.index.hnsw.efSearch];
  const truth = (top: number) => vectors.map((v) => new Set(exact.search(v, top).map((hit) => hit.id)));
  const truths = { at10: truth(10), atCandidates: truth(k) };
  const recall = sweep.map((efSearch) => recallAgainstExact(index, truths, vectors, k, efSearch, plan));
  index.vectors.setEfSearch(settings.index.hnsw.efSearch);

  const repeated = questions[0]!;
  const repeatedQuestion = {
    cacheOff: await timeAsync(plan(200), () => engine.search(repeated)),
    cacheOn: await timeAsync(plan(200), () => cached.search(index, repeated)),
  };
  return { scale: corpus.label, passages: index.passages.size, search, searchWithoutModel, exactSearch, vectorSearch, recall, repeatedQuestion };
}

interface RecallFigures {
  efSearch: number;
  /** VectorIndex.search for the candidates the query path asks for. */
  latency: Distribution;
  at10: number;
  atCandidates: number;
  questions: number;
}

/** The share of the exact top-k that HNSW also returns over the questions' vectors, and its latency, at `efSearch`. */
function recallAgainstExact(
  index: CorpusIndex,
  /** The exact top 10 and top `candidates` of each question. */
  truths: { at10: Set<number>[]; atCandidates: Set<number>[] },
  vectors: Float32Array[],
  candidates: number,
  efSearch: number,
  plan: (runs: number, warmup?: number) => RunPlan,
): RecallFigures {
  index.vectors.setEfSearch(efSearch);
  const latency = timeSync(plan(1000, 50), (i) => index.vectors.search(vectors[i % vectors.length]!, candidates));
  const recallAt = (k: number, truth: Set<number>[]) => {
    let found = 0;
    vectors.forEach((vector, q) => {
      found += index.vectors.search(vector, k).filter((hit) => truth[q]!.has(hit.id)).length;
    });
    return found / truth.reduce((sum, ids) => sum + ids.size, 0);
  };
  return { efSearch, latency, at10: recallAt(10, truths.at10), atCandidates: recallAt(candidates, truths.atCandidates), questions: vectors.length };
}

/** The model's vectors for known questions, computed beforehand: isolates what the path costs besides the model. */
class PrecomputedQueries extends DelegatingEmbedder {
  private readonly vectors: Map<string, Float32Array>;

  constructor(inner: Embedder, vectors: Iterable<[string, Float32Array]>) {
    super(inner);
    this.vectors = new Map(vectors);
  }

  override async embedQuery(text: string): Promise<Float32Array> {
    const vector = this.vectors.get(text);
    if (vector === undefined) throw new Error(`No precomputed vector for "${text}"`);
    return vector;
  }
}
