import type pg from 'pg';

/**
 * The tables every index version shares: the versions published, and which one is current.
 * Each version's own data lives in a schema of its own (`versionSchema`), so that its HNSW
 * graph holds its vectors only, and dropping an old version is one `DROP SCHEMA`.
 */
export const META_SCHEMA = 'corpus_bot';

// Bumped when the tables change shape; a database of another layout is refused, not guessed at.
export const SCHEMA_VERSION = 1;

/** The schema holding one version's passages, postings, terms and documents. */
export function versionSchema(versionId: number): string {
  if (!Number.isSafeInteger(versionId) || versionId < 1) throw new RangeError(`invalid index version id ${versionId}`);
  return `${META_SCHEMA}_v${versionId}`;
}

// One writer at a time publishes (any machine): the key is this application's, arbitrary but fixed.
export const PUBLISH_LOCK = 7_302_114_551;

/** Creates the shared tables if they are missing (idempotent, safe to run from several processes at once). */
export async function ensureSchema(client: pg.ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK]);
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${META_SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.layout (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), version integer NOT NULL)`);
    await client.query(`INSERT INTO ${META_SCHEMA}.layout (version) VALUES ($1) ON CONFLICT (only_row) DO NOTHING`, [SCHEMA_VERSION]);
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${META_SCHEMA}.layout`);
    if (rows[0]?.version !== SCHEMA_VERSION) {
      throw new Error(`the database holds index tables of layout ${rows[0]?.version}, and this version of the bot reads layout ${SCHEMA_VERSION}`);
    }
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.versions (
        id serial PRIMARY KEY,
        version text NOT NULL UNIQUE,
        manifest jsonb NOT NULL,
        passages integer NOT NULL,
        total_length bigint NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now()
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.current (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        version_id integer NOT NULL REFERENCES ${META_SCHEMA}.versions (id)
      )`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** The tables of one version, created empty; the indexes come after the rows (`indexVersionTables`), which is faster than filling indexed tables. */
export async function createVersionTables(client: pg.ClientBase, schema: string, dimension: number): Promise<void> {
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`
    CREATE TABLE ${schema}.passages (
      id integer PRIMARY KEY,
      source text NOT NULL,
      server text,
      document integer NOT NULL,
      length integer NOT NULL,
      body jsonb NOT NULL,
      embedding vector(${dimension}) NOT NULL
    )`);
  // A passage's length and document are repeated on each of its postings: BM25 reads them for
  // every posting it scores, and a join per posting would cost more than the bytes.
  await client.query(`
    CREATE TABLE ${schema}.postings (
      term text NOT NULL,
      passage integer NOT NULL,
      tf integer NOT NULL,
      length integer NOT NULL,
      document integer NOT NULL
    )`);
  await client.query(`CREATE TABLE ${schema}.terms (term text PRIMARY KEY, df integer NOT NULL)`);
  await client.query(`CREATE TABLE ${schema}.documents (document integer PRIMARY KEY, length bigint NOT NULL)`);
}

/** Term and document statistics computed from the postings, then the indexes searches use. */
export async function indexVersionTables(client: pg.ClientBase, schema: string, hnsw: { m: number; efConstruction: number }): Promise<void> {
  await client.query(`INSERT INTO ${schema}.terms (term, df) SELECT term, count(*) FROM ${schema}.postings GROUP BY term`);
  await client.query(`INSERT INTO ${schema}.documents (document, length) SELECT document, sum(length) FROM ${schema}.passages GROUP BY document`);
  // Covering: BM25 over a term's postings is then an index-only scan.
  await client.query(`CREATE INDEX ON ${schema}.postings (term) INCLUDE (passage, tf, length, document)`);
  await client.query(
    `CREATE INDEX ON ${schema}.passages USING hnsw (embedding vector_cosine_ops) WITH (m = ${Math.trunc(hnsw.m)}, ef_construction = ${Math.trunc(hnsw.efConstruction)})`,
  );
  await client.query(`ANALYZE ${schema}.passages`);
  await client.query(`ANALYZE ${schema}.postings`);
}
