import path from 'node:path';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BeirDatasetError, loadBeirDataset, readCorpus, readQrels } from '../src/eval/beir-dataset.js';
import { PROJECT_ROOT } from './helpers/workspace.js';

const made: string[] = [];

afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataset(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'beir-'));
  made.push(dir);
  await mkdir(join(dir, 'qrels'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

const corpus = [
  '\uFEFF{"_id": "d1", "title": "First", "text": "Alpha text."}',
  '{"_id": "d2", "text": "No title here."}',
  '',
  '{"_id": 3, "title": "", "text": "Numeric id."}',
].join('\n');
const queries = ['{"_id": "q1", "text": "alpha?"}', '{"_id": "q2", "text": "beta?"}', '{"_id": "q3", "text": "unjudged"}'].join('\r\n');
const qrels = 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\nq2\t3\t2\n';

describe('loadBeirDataset', () => {
  it('loads the corpus, the split’s qrels and only the queries they judge', async () => {
    const dir = await dataset({ 'corpus.jsonl': corpus, 'queries.jsonl': queries, 'qrels/test.tsv': qrels });
    const loaded = await loadBeirDataset(dir, 'test');
    expect(loaded.corpus).toEqual([
      { id: 'd1', title: 'First', text: 'Alpha text.' },
      { id: 'd2', title: '', text: 'No title here.' },
      { id: '3', title: '', text: 'Numeric id.' },
    ]);
    expect(loaded.queries).toEqual([
      { id: 'q1', text: 'alpha?' },
      { id: 'q2', text: 'beta?' },
    ]);
    expect(loaded.qrels).toEqual(new Map([
      ['q1', new Map([['d1', 1], ['d2', 0]])],
      ['q2', new Map([['3', 2]])],
    ]));
  });

  it('fails clearly when a judged query has no text', async () => {
    const dir = await dataset({ 'corpus.jsonl': corpus, 'queries.jsonl': '{"_id": "q1", "text": "a"}\n', 'qrels/test.tsv': qrels });
    await expect(loadBeirDataset(dir, 'test')).rejects.toThrow(/no text for judged queries q2/);
  });

  it('names the missing file', async () => {
    const dir = await dataset({ 'corpus.jsonl': corpus, 'queries.jsonl': queries });
    await expect(loadBeirDataset(dir, 'dev')).rejects.toThrow(BeirDatasetError);
    await expect(loadBeirDataset(dir, 'dev')).rejects.toThrow(`${join(dir, 'qrels', 'dev.tsv')}: file not found`);
  });
});

describe('readCorpus', () => {
  it('streams documents and reports the file and line of a malformed one', async () => {
    const dir = await dataset({ 'corpus.jsonl': '{"_id": "a", "text": "ok"}\n{"_id": "b", "text": \n' });
    const read: string[] = [];
    const reading = (async () => {
      for await (const document of readCorpus(dir)) read.push(document.id);
    })();
    await expect(reading).rejects.toThrow(`${join(dir, 'corpus.jsonl')}:2: not valid JSON`);
    expect(read).toEqual(['a']);
  });

  it.each([
    ['[1, 2]', /expected a JSON object/],
    ['{"text": "no id"}', /missing "_id"/],
    ['{"_id": "x"}', /"text" must be a string/],
    ['{"_id": "x", "title": 5, "text": "t"}', /"title" must be a string/],
  ])('rejects %s', async (line, message) => {
    const dir = await dataset({ 'corpus.jsonl': line });
    await expect((async () => {
      for await (const _ of readCorpus(dir)) void _;
    })()).rejects.toThrow(message);
  });
});

describe('readQrels', () => {
  it.each([
    ['q1\td1\n', /expected "query-id<TAB>corpus-id<TAB>score"/],
    ['q1\td1\t1\textra\n', /expected/],
    ['q1\td1\thigh\n', /score "high" is not an integer/],
    ['q1\td1\t1\nq1\td1\t2\n', /judged twice/],
    ['query-id\tcorpus-id\tscore\n', /no judgements/],
  ])('rejects %j', async (content, message) => {
    const dir = await dataset({ 'qrels/test.tsv': content });
    await expect(readQrels(dir, 'test')).rejects.toThrow(message);
  });

  it('reports the line number', async () => {
    const dir = await dataset({ 'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1 d2 1\n' });
    await expect(readQrels(dir, 'test')).rejects.toThrow(`${join(dir, 'qrels', 'test.tsv')}:3:`);
  });

  it('accepts a file without the header line', async () => {
    const dir = await dataset({ 'qrels/test.tsv': 'q1\td1\t1\n' });
    expect(await readQrels(dir, 'test')).toEqual(new Map([['q1', new Map([['d1', 1]])]]));
  });
});

const scifact = path.join(PROJECT_ROOT, '../shared/datasets/scifact');

describe.skipIf(!existsSync(scifact))('SciFact', () => {
  it('loads with the sizes its README states', async () => {
    const test = await loadBeirDataset(scifact, 'test');
    expect(test.corpus).toHaveLength(5183);
    expect(test.queries).toHaveLength(300);
    expect([...test.qrels.values()].reduce((sum, judged) => sum + judged.size, 0)).toBe(339);
    expect((await readQrels(scifact, 'train')).size).toBe(809);
  });
});
