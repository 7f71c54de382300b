import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFileName, documentFileText, documentIdOf } from '../src/eval/beir-corpus.js';
import { formatBeirReport } from '../src/eval/beir-report.js';
import { runBeir, type BeirReport, type BeirRunOptions } from '../src/eval/beir-run.js';
import { PROJECT_ROOT, TEST_MODEL } from './helpers/workspace.js';

// Six abstracts with disjoint topics. q1's words appear only in the title of "glacier/1" (a title
// with no final full stop, and an id that is not a plain file name); q2's relevant document shares
// one of its two words, while "volcano-2" shares both; q3 has two relevant documents, one of
// which shares no word with it.
const CORPUS = [
  { _id: 'glacier/1', title: 'Meltwater pulses beneath alpine glaciers', text: 'Ice sheets retreat when summers lengthen. The study followed seasonal flow in three valleys.' },
  { _id: 'volcano-2', title: 'Eruption columns.', text: 'A volcano releases ash high into the atmosphere. Fine ash from the volcano settles over fields for weeks.' },
  { _id: 'volcano-3', title: 'Dormant craters.', text: 'The volcano had been quiet for centuries. Crater lakes formed and forests grew on its slopes.' },
  { _id: '4', title: 'Honeybee foraging.', text: 'Honeybees communicate the direction of nectar through a waggle dance performed inside the hive.' },
  { _id: '5', title: 'Sourdough fermentation.', text: 'Wild yeast and lactic bacteria leaven sourdough bread during a long, cool fermentation.' },
  { _id: '.6', title: 'Tidal marshes.', text: 'Salt marsh grasses trap sediment on each tide and build the marsh surface upwards.' },
];
const QUERIES = [
  { _id: 'q1', text: 'meltwater pulses' },
  { _id: 'q2', text: 'volcano ash' },
  { _id: 'q3', text: 'waggle dance of honeybees' },
  { _id: 'unjudged', text: 'sourdough' },
];
const QRELS = [
  ['q1', 'glacier/1', 1],
  ['q2', 'volcano-3', 1],
  ['q3', '4', 1],
  ['q3', '.6', 1],
  ['q3', '5', 0],
];

let root: string;
let options: BeirRunOptions;
let first: BeirReport;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'corpus-bot-beir-'));
  const datasetDir = path.join(root, 'tiny');
  await mkdir(path.join(datasetDir, 'qrels'), { recursive: true });
  const jsonl = (rows: object[]) => `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;
  await writeFile(path.join(datasetDir, 'corpus.jsonl'), jsonl(CORPUS));
  await writeFile(path.join(datasetDir, 'queries.jsonl'), jsonl(QUERIES));
  const tsv = ['query-id\tcorpus-id\tscore', ...QRELS.map((row) => row.join('\t'))].join('\n');
  await writeFile(path.join(datasetDir, 'qrels', 'test.tsv'), `${tsv}\n`);
  options = {
    datasetDir,
    split: 'test',
    modes: ['lexical', 'dense', 'hybrid'],
    workDir: path.join(root, 'work'),
    env: { EMBEDDING_MODEL: TEST_MODEL },
    baseDir: PROJECT_ROOT,
  };
  first = await runBeir(options);
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('BEIR evaluation through the engine', () => {
  it('indexes every document through the corpus folder and reports the build', () => {
    expect(first).toMatchObject({ dataset: 'tiny', split: 'test', model: TEST_MODEL, documents: 6, queries: 3 });
    expect(first.passages).toBeGreaterThanOrEqual(6);
    expect(first.indexing).toMatchObject({ builtNow: true, documentsIndexed: 6, passagesEmbedded: first.passages });
    expect(first.modes.map((mode) => mode.mode)).toEqual(['lexical', 'dense', 'hybrid']);
  });

  it('scores lexical retrieval as computed by hand', () => {
    const lexical = first.modes.find((mode) => mode.mode === 'lexical')!;
    // q1: its one relevant document first. q2: second, behind the document sharing both words.
    // q3: one of two relevant documents first, the other never retrieved.
    const ndcg = [1, 1 / Math.log2(3), 1 / (1 + 1 / Math.log2(3))];
    expect(lexical.metrics['nDCG@10']).toBeCloseTo((ndcg[0]! + ndcg[1]! + ndcg[2]!) / 3, 10);
    expect(lexical.metrics['MRR@10']).toBeCloseTo((1 + 1 / 2 + 1) / 3, 10);
    expect(lexical.metrics['Recall@10']).toBeCloseTo((1 + 1 + 1 / 2) / 3, 10);
    expect(lexical.metrics['Recall@100']).toBeCloseTo((1 + 1 + 1 / 2) / 3, 10);
    expect(lexical.refused).toBe(0);
  });

  it('measures every mode', () => {
    for (const mode of first.modes) {
      // Every query of this dataset has a relevant document the model can rank somewhere in 100.
      for (const value of Object.values(mode.metrics)) {
        expect(value).toBeGreaterThan(0);
        expect(value).toBeLessThanOrEqual(1);
      }
      expect(mode.queriesPerSecond).toBeGreaterThan(0);
      expect(mode.medianMs).toBeGreaterThan(0);
    }
  });

  it('reuses the index on a second run, with the figures of the build that made it', async () => {
    const second = await runBeir({ ...options, modes: ['lexical'] });
    expect(second.indexing).toEqual({ ...first.indexing, builtNow: false });
    expect(second.modes[0]!.metrics).toEqual(first.modes[0]!.metrics);
  }, 60_000);

  it('prints each mode and no published figures for a dataset it has none for', () => {
    const text = formatBeirReport(first);
    expect(text).toContain('BEIR tiny, test split: 3 queries; 6 documents');
    expect(text).toMatch(/^lexical\s+0\.7480\s+0\.8333\s+0\.8333\s+0\.8333/m);
    expect(text).not.toContain('published');
  });
});

describe('BEIR corpus files', () => {
  it('names each file by its document id, and maps it back', () => {
    for (const id of ['4983', 'glacier/1', '.6', 'a b%c', 'ünïcode']) {
      const name = documentFileName(id);
      expect(name).not.toMatch(/^\.|\//);
      expect(documentIdOf(name)).toBe(id);
    }
  });

  it('writes the title as a sentence above the text, so the loader indexes it', () => {
    expect(documentFileText({ id: '1', title: 'Meltwater pulses', text: 'Ice retreats.' })).toBe('Meltwater pulses.\n\nIce retreats.\n');
    expect(documentFileText({ id: '2', title: 'Does ice melt?', text: 'Yes.' })).toBe('Does ice melt?\n\nYes.\n');
    expect(documentFileText({ id: '3', title: '', text: 'Only text.' })).toBe('Only text.\n');
  });

  it('leaves only the dataset\'s documents in the corpus folder', async () => {
    const files = await readdir(path.join(options.workDir, 'corpus'));
    expect(files.sort()).toEqual(CORPUS.map((document) => documentFileName(document._id)).sort());
  });
});
