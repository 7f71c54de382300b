import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadDocument } from '../src/corpus/load-corpus.js';
import type { Env } from '../src/config/env.js';
import type { Embedder } from '../src/embeddings/embedder.js';
import { CorpusEngine } from '../src/engine/corpus-engine.js';
import { readCorpus, readQueries, type BeirDocument } from '../src/eval/beir-dataset.js';
import { readEvalQuestions } from '../src/eval/seed-questions.js';
import { requirementsFor } from '../src/indexing/index-types.js';
import { chunkDocument } from '../src/passages/chunk.js';
import { benchSettings, modelCacheDir, SCIFACT_DIR, SEED_QUESTIONS_FILE, SEEDS_DIR } from './setup.js';
import { varyWords, vocabularyOf } from './word-variant.js';

/** A corpus folder, where its index is kept, and questions to ask it. */
export interface BenchCorpus {
  label: string;
  corpusDir: string;
  indexDir: string;
  questions: string[];
}

const QUESTIONS_PER_CORPUS = 200;

/** The seed articles, copied under the cache so the lifecycle measurements may edit one. */
export async function seedCorpus(embedder: Embedder): Promise<BenchCorpus> {
  const root = modelCacheDir(embedder);
  const corpusDir = path.join(root, 'corpus-seed');
  await rm(corpusDir, { recursive: true, force: true });
  await cp(SEEDS_DIR, corpusDir, { recursive: true });
  const questions = (await readEvalQuestions(SEED_QUESTIONS_FILE)).map((item) => item.question);
  return { label: 'seed', corpusDir, indexDir: path.join(root, 'index-seed'), questions };
}

interface CorpusMarker {
  passages: number;
  documents: number;
  copies: number;
}

/**
 * SciFact abstracts written as corpus files (title as a sentence, then the abstract), added until
 * the project's chunker has made `passages` passages of them; past the 5,183 abstracts, further
 * copies with deterministic word swaps. Written once per size and model (the chunker counts
 * the model's tokens), then reused.
 */
export async function scifactCorpus(label: string, passages: number, embedder: Embedder): Promise<BenchCorpus> {
  const root = modelCacheDir(embedder);
  const corpusDir = path.join(root, `corpus-${label}`);
  const markerFile = `${corpusDir}.json`;
  const marker = await readFile(markerFile, 'utf8').then((text) => JSON.parse(text) as CorpusMarker, () => null);
  if (marker === null) {
    await writeFile(markerFile, JSON.stringify(await writeScifactCorpus(corpusDir, passages, embedder)));
  }
  const questions: string[] = [];
  for await (const query of readQueries(SCIFACT_DIR)) {
    if (questions.length === QUESTIONS_PER_CORPUS) break;
    questions.push(query.text);
  }
  return { label, corpusDir, indexDir: path.join(root, `index-${label}`), questions };
}

function fileText({ title, text }: BeirDocument): string {
  const heading = title.trim();
  // A line without a final stop reads as a heading, which the loader does not index.
  const sentence = heading === '' || /[.!?]$/.test(heading) ? heading : `${heading}.`;
  return `${[sentence, text.trim()].filter((part) => part !== '').join('\n\n')}\n`;
}

async function writeScifactCorpus(dir: string, target: number, embedder: Embedder): Promise<CorpusMarker> {
  await rm(dir, { recursive: true, force: true });
  const documents: BeirDocument[] = [];
  for await (const document of readCorpus(SCIFACT_DIR)) documents.push(document);
  const vocabulary = vocabularyOf(documents);
  const { index } = benchSettings(dir, dir);
  const chunking = { ...requirementsFor(embedder, index).chunking, countTokens: (text: string) => embedder.countTokens(text) };
  let passages = 0;
  let written = 0;
  let copy = 0;
  for (; passages < target; copy += 1) {
    await mkdir(path.join(dir, `copy-${copy}`), { recursive: true });
    for (const document of documents) {
      const source = `copy-${copy}/${document.id}.txt`;
      const absolutePath = path.join(dir, source);
      await writeFile(absolutePath, varyWords(fileText(document), copy, vocabulary));
      written += 1;
      const loaded = await loadDocument({ source, absolutePath }, index.maxFileBytes);
      if ('document' in loaded) passages += chunkDocument(loaded.document, chunking).passages.length;
      if (passages >= target) break;
    }
  }
  return { passages, documents: written, copies: copy };
}

/** How fast an index was built from nothing: kept beside the index, which later runs reuse. */
export interface BuildRecord {
  builtAt: string;
  passages: number;
  durationMs: number;
  passagesPerSecond: number;
}

export interface OpenedCorpus {
  engine: CorpusEngine;
  /** Set when this run built the index; otherwise the record of the run that did, if kept. */
  build: BuildRecord | null;
  builtNow: boolean;
}

/** Opens the engine on a bench corpus, building its index on first use (with progress on stderr). */
export async function openCorpus(corpus: BenchCorpus, embedder: Embedder, env: Env = {}): Promise<OpenedCorpus> {
  const recordFile = `${corpus.indexDir}.build.json`;
  let lastReport = performance.now();
  const engine = await CorpusEngine.open(benchSettings(corpus.corpusDir, corpus.indexDir, env), {
    embedder,
    onProgress: (progress) => {
      if (progress.phase !== 'embedding' || performance.now() - lastReport < 10_000) return;
      lastReport = performance.now();
      process.stderr.write(`  building the ${corpus.label} index: ${progress.passagesEmbedded} / ${progress.passagesToEmbed} passages embedded\n`);
    },
  });
  const summary = engine.openingBuild;
  if (summary && summary.rebuildReason !== null) {
    const build: BuildRecord = {
      builtAt: new Date().toISOString(),
      passages: summary.passages.total,
      durationMs: summary.durationMs,
      passagesPerSecond: summary.passages.total / (summary.durationMs / 1000),
    };
    await writeFile(recordFile, JSON.stringify(build));
    return { engine, build, builtNow: true };
  }
  const kept = await readFile(recordFile, 'utf8').then((text) => JSON.parse(text) as BuildRecord, () => null);
  return { engine, build: kept, builtNow: false };
}
