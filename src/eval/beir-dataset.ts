import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Qrels } from './beir-metrics.js';

/**
 * Reads a dataset in BEIR's layout: `corpus.jsonl` (`_id`, `title`, `text`), `queries.jsonl`
 * (`_id`, `text`) and `qrels/<split>.tsv` (header `query-id corpus-id score`). Files are streamed
 * line by line, so corpora far larger than memory can be fed to an index as they are read.
 */

export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

export interface BeirDataset {
  corpus: BeirDocument[];
  /** Only the queries judged in the split, in `queries.jsonl` order. */
  queries: BeirQuery[];
  qrels: Qrels;
}

/** The dataset is missing a file or a line is malformed; the message names the file and line. */
export class BeirDatasetError extends Error {
  override readonly name = 'BeirDatasetError';
}

export async function* readCorpus(dir: string): AsyncGenerator<BeirDocument> {
  for await (const { value, where } of readJsonl(join(dir, 'corpus.jsonl'))) {
    const title = value.title ?? '';
    if (typeof title !== 'string') throw new BeirDatasetError(`${where}: "title" must be a string`);
    yield { id: idOf(value, where), title, text: textOf(value, where) };
  }
}

export async function* readQueries(dir: string): AsyncGenerator<BeirQuery> {
  for await (const { value, where } of readJsonl(join(dir, 'queries.jsonl'))) {
    yield { id: idOf(value, where), text: textOf(value, where) };
  }
}

/** Judgements of `split` ("test", "train", "dev"). A grade of 0 is kept: it marks a judged non-relevant document. */
export async function readQrels(dir: string, split: string): Promise<Qrels> {
  const path = join(dir, 'qrels', `${split}.tsv`);
  const qrels = new Map<string, Map<string, number>>();
  let header = true;
  for await (const { line, where } of readLines(path)) {
    const fields = line.split('\t');
    if (header) {
      header = false;
      if (fields[0] === 'query-id') continue;
    }
    const [queryId, docId, grade, ...rest] = fields;
    if (queryId === undefined || docId === undefined || grade === undefined || rest.length > 0 || queryId === '' || docId === '') {
      throw new BeirDatasetError(`${where}: expected "query-id<TAB>corpus-id<TAB>score"`);
    }
    if (!/^-?\d+$/.test(grade.trim())) throw new BeirDatasetError(`${where}: score ${JSON.stringify(grade)} is not an integer`);
    let judged = qrels.get(queryId);
    if (judged === undefined) qrels.set(queryId, (judged = new Map()));
    if (judged.has(docId)) throw new BeirDatasetError(`${where}: ${queryId} / ${docId} is judged twice`);
    judged.set(docId, Number(grade));
  }
  if (qrels.size === 0) throw new BeirDatasetError(`${path}: no judgements`);
  return qrels;
}

/** Loads the whole corpus, the split's qrels and the queries they judge (which must all exist). */
export async function loadBeirDataset(dir: string, split: string): Promise<BeirDataset> {
  const qrels = await readQrels(dir, split);
  const queries: BeirQuery[] = [];
  for await (const query of readQueries(dir)) if (qrels.has(query.id)) queries.push(query);
  const found = new Set(queries.map((query) => query.id));
  const missing = [...qrels.keys()].filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new BeirDatasetError(`${join(dir, 'queries.jsonl')}: no text for judged queries ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
  }
  const corpus: BeirDocument[] = [];
  for await (const document of readCorpus(dir)) corpus.push(document);
  return { corpus, queries, qrels };
}

interface Line {
  line: string;
  /** "path:line" for error messages. */
  where: string;
}

async function* readLines(path: string): AsyncGenerator<Line> {
  try {
    await access(path);
  } catch {
    throw new BeirDatasetError(`${path}: file not found (is this a BEIR dataset folder?)`);
  }
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const raw of lines) {
    number++;
    // A byte-order mark would otherwise become part of the first field.
    const line = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() !== '') yield { line, where: `${path}:${number}` };
  }
}

async function* readJsonl(path: string): AsyncGenerator<{ value: Record<string, unknown>; where: string }> {
  for await (const { line, where } of readLines(path)) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new BeirDatasetError(`${where}: not valid JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BeirDatasetError(`${where}: expected a JSON object`);
    }
    yield { value: value as Record<string, unknown>, where };
  }
}

// An id written as a JSON number is accepted as its text, which is how qrels refer to it.
function idOf(value: Record<string, unknown>, where: string): string {
  const id = value._id;
  if ((typeof id === 'string' && id !== '') || typeof id === 'number') return String(id);
  throw new BeirDatasetError(`${where}: missing "_id"`);
}

function textOf(value: Record<string, unknown>, where: string): string {
  if (typeof value.text !== 'string') throw new BeirDatasetError(`${where}: "text" must be a string`);
  return value.text;
}
