import type pg from 'pg';
import { serverOf } from '../../../corpus/document-scope.js';
import { analyze } from '../../../lexical/analyzer.js';
import type { Passage } from '../../../passages/passage.js';
import type { IndexManifest } from '../../manifest.js';
import { createVersionTables, indexVersionTables, META_SCHEMA, PUBLISH_LOCK, versionSchema } from './schema.js';

/** What a version is published from: the built version's manifest, passages and float vectors. */
export interface PublishedVersion {
  manifest: IndexManifest;
  passages: Iterable<Passage>;
  vectors: ReadonlyMap<number, Float32Array>;
}

// Rows per INSERT: large enough to keep round trips few, small enough for one message's size.
const PASSAGE_BATCH = 500;
const POSTING_BATCH = 20_000;

/**
 * Writes a version and makes it current in one transaction: readers see the version before or
 * the version after, never a part. A version already published (another process built the same
 * corpus) is only made current again. Returns the version's id.
 */
export async function publishVersion(pool: pg.Pool, version: PublishedVersion, hnsw: { m: number; efConstruction: number }): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK]);
      const id = (await existingVersion(client, version.manifest.version)) ?? (await writeVersion(client, version, hnsw));
      await client.query(
        `INSERT INTO ${META_SCHEMA}.current (version_id) VALUES ($1) ON CONFLICT (only_row) DO UPDATE SET version_id = excluded.version_id`,
        [id],
      );
      await client.query('COMMIT');
      return id;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } finally {
    client.release();
  }
}

async function existingVersion(client: pg.ClientBase, version: string): Promise<number | null> {
  const { rows } = await client.query<{ id: number }>(`SELECT id FROM ${META_SCHEMA}.versions WHERE version = $1`, [version]);
  return rows[0]?.id ?? null;
}

async function writeVersion(client: pg.ClientBase, { manifest, passages, vectors }: PublishedVersion, hnsw: { m: number; efConstruction: number }): Promise<number> {
  const documentOf = new Map(Object.keys(manifest.documents).map((source, document) => [source, document]));
  const rows: PassageRow[] = [];
  let totalLength = 0;
  for (const passage of passages) {
    const terms = analyze(passage.text);
    totalLength += terms.length;
    rows.push({ passage, document: documentOf.get(passage.source)!, terms, vector: vectors.get(passage.id)! });
  }
  const { rows: inserted } = await client.query<{ id: number }>(
    `INSERT INTO ${META_SCHEMA}.versions (version, manifest, passages, total_length) VALUES ($1, $2, $3, $4) RETURNING id`,
    [manifest.version, JSON.stringify(manifest), rows.length, totalLength],
  );
  const id = inserted[0]!.id;
  const schema = versionSchema(id);
  // pgvector builds the HNSW graph far faster while it fits in maintenance_work_mem (64 MB by
  // default: some 25k vectors of 512 dimensions); raised for this transaction only, to what the graph needs.
  await client.query(`SET LOCAL maintenance_work_mem = '${graphMegabytes(rows.length, manifest.model.dimension, hnsw.m)}MB'`);
  await createVersionTables(client, schema, manifest.model.dimension);
  for (let at = 0; at < rows.length; at += PASSAGE_BATCH) await insertPassages(client, schema, rows.slice(at, at + PASSAGE_BATCH));
  await insertPostings(client, schema, rows);
  await indexVersionTables(client, schema, hnsw);
  return id;
}

/** Room for an HNSW graph of `vectors` float vectors with `m` links a layer, with a margin; from 64 MB to 2 GB. */
function graphMegabytes(vectors: number, dimension: number, m: number): number {
  const bytes = vectors * (dimension * 4 + m * 2 * 8 + 128) * 1.5;
  return Math.min(2048, Math.max(64, Math.ceil(bytes / 2 ** 20)));
}

interface PassageRow {
  passage: Passage;
  document: number;
  /** The passage's analysed terms, as BM25 counts them. */
  terms: string[];
  vector: Float32Array;
}

async function insertPassages(client: pg.ClientBase, schema: string, rows: readonly PassageRow[]): Promise<void> {
  await client.query(
    `INSERT INTO ${schema}.passages (id, source, server, document, length, body, embedding)
     SELECT id, source, server, document, length, body::jsonb, embedding::vector
     FROM unnest($1::integer[], $2::text[], $3::text[], $4::integer[], $5::integer[], $6::text[], $7::text[])
       AS row (id, source, server, document, length, body, embedding)`,
    [
      rows.map(({ passage }) => passage.id),
      rows.map(({ passage }) => passage.source),
      rows.map(({ passage }) => serverOf(passage.source)),
      rows.map(({ document }) => document),
      rows.map(({ terms }) => terms.length),
      rows.map(({ passage }) => JSON.stringify(passage)),
      rows.map(({ vector }) => vectorLiteral(vector)),
    ],
  );
}

async function insertPostings(client: pg.ClientBase, schema: string, rows: readonly PassageRow[]): Promise<void> {
  let batch: { term: string[]; passage: number[]; tf: number[]; length: number[]; document: number[] } = emptyBatch();
  const flush = async () => {
    if (batch.term.length === 0) return;
    await client.query(
      `INSERT INTO ${schema}.postings (term, passage, tf, length, document)
       SELECT * FROM unnest($1::text[], $2::integer[], $3::integer[], $4::integer[], $5::integer[])`,
      [batch.term, batch.passage, batch.tf, batch.length, batch.document],
    );
    batch = emptyBatch();
  };
  for (const { passage, document, terms } of rows) {
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, tf] of counts) {
      batch.term.push(term);
      batch.passage.push(passage.id);
      batch.tf.push(tf);
      batch.length.push(terms.length);
      batch.document.push(document);
    }
    if (batch.term.length >= POSTING_BATCH) await flush();
  }
  await flush();
}

function emptyBatch() {
  return { term: [] as string[], passage: [] as number[], tf: [] as number[], length: [] as number[], document: [] as number[] };
}

/**
 * pgvector's text form, which the pg client sends. Nine significant digits read back as the same
 * float32 (half the characters of a double's shortest form, which matters at 100k × 512 values).
 */
export function vectorLiteral(vector: Float32Array): string {
  const parts = new Array<string>(vector.length);
  for (let i = 0; i < vector.length; i++) parts[i] = vector[i]!.toPrecision(9);
  return `[${parts.join(',')}]`;
}
