import pg from 'pg';
import { IndexDatabaseError } from '../../../errors.js';
import { CorpusIndex } from '../../corpus-index.js';
import type { IndexBackend } from '../../index-backend.js';
import type { IndexDirectory } from '../../index-directory.js';
import { PostgresIndex, type Queryable } from './postgres-index.js';
import { publishVersion } from './publish.js';
import { ensureSchema, META_SCHEMA, PUBLISH_LOCK, versionSchema } from './schema.js';

export interface PostgresSettings {
  url: string;
  /** Connections per process. */
  poolSize: number;
  /** Versions kept besides the current one, for readers still answering from them. */
  keepPrevious: number;
  hnsw: { m: number; efConstruction: number; efSearch: number };
  /** The most candidates a search asks pgvector for: its HNSW search list must be at least that long. */
  candidates: number;
}

/**
 * Versions in PostgreSQL with pgvector (`INDEX_BACKEND=postgres`): each published in one
 * transaction that also makes it current, so every reader, on any machine, moves from one whole
 * version to the next. Readers find the current version by polling (`INDEX_POLL_SECONDS`), as
 * they do the index folder's CURRENT.
 */
export async function postgresBackend(directory: IndexDirectory, settings: PostgresSettings): Promise<IndexBackend> {
  const where = describe(settings.url);
  // Idle connections do not keep a process alive: `npm run ask` exits when it has answered.
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.poolSize,
    allowExitOnIdle: true,
    // pgvector returns at most ef_search rows from its graph; an iterative scan keeps a scoped
    // search (one server's documents) from coming up short. Below some 100k rows the planner
    // prices a sequential scan (every distance computed) under the HNSW index: at 10k passages
    // 83 ms against 8 ms. pgvector's own advice is to turn sequential scans off for the query;
    // every query of these connections has an index to use. Awaited before the client is used.
    onConnect: async (client) => {
      await client.query(`SET hnsw.ef_search = ${Math.max(settings.hnsw.efSearch, settings.candidates)}`);
      await client.query('SET hnsw.iterative_scan = strict_order');
      await client.query('SET enable_seqscan = off');
    },
  });
  // An idle connection the server drops is replaced on the next query; unhandled, it would end the process.
  pool.on('error', () => undefined);
  const fail = (doing: string) => (error: unknown): never => {
    if (error instanceof IndexDatabaseError) throw error;
    throw new IndexDatabaseError(`The index database (${where}) failed while ${doing}: ${(error as Error).message}. Check DATABASE_URL, and that the server has the pgvector extension.`);
  };
  const client = await pool.connect().catch(async (error: unknown) => {
    await pool.end();
    return fail('connecting')(error);
  });
  try {
    await ensureSchema(client).catch(fail('preparing its tables'));
  } finally {
    client.release();
  }

  // Searches read through this: a failure is one line naming the database, at the edge that asked.
  const reading: Queryable = {
    query: ((text: string, values?: unknown[]) => pool.query(text, values).catch(fail('searching'))) as Queryable['query'],
  };
  const idOf = async (version: string): Promise<number> => {
    const { rows } = await pool.query<{ id: number }>(`SELECT id FROM ${META_SCHEMA}.versions WHERE version = $1`, [version]).catch(fail('looking up a version'));
    if (rows[0] === undefined) throw new IndexDatabaseError(`The index database (${where}) has no version ${version}.`);
    return rows[0].id;
  };
  const prune = async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK]);
      const { rows } = await client.query<{ id: number }>(
        `SELECT id FROM ${META_SCHEMA}.versions WHERE id NOT IN (SELECT version_id FROM ${META_SCHEMA}.current) ORDER BY id DESC OFFSET $1`,
        [settings.keepPrevious],
      );
      for (const { id } of rows) {
        await client.query(`DROP SCHEMA IF EXISTS ${versionSchema(id)} CASCADE`);
        await client.query(`DELETE FROM ${META_SCHEMA}.versions WHERE id = $1`, [id]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };

  return {
    name: 'postgres',
    shared: true,
    async currentVersion() {
      const { rows } = await pool
        .query<{ version: string }>(`SELECT v.version FROM ${META_SCHEMA}.current c JOIN ${META_SCHEMA}.versions v ON v.id = c.version_id`)
        .catch(fail('reading the current version'));
      return rows[0]?.version ?? null;
    },
    async open(version) {
      return PostgresIndex.open(reading, await idOf(version)).catch(fail(`reading index version ${version}`));
    },
    async publish(built) {
      const vectors = await CorpusIndex.readVectors(directory, built.manifest);
      const id = await publishVersion(pool, { manifest: built.manifest, passages: built.passages.values(), vectors }, settings.hnsw).catch(
        fail(`publishing index version ${built.version}`),
      );
      await prune().catch(fail('dropping old index versions'));
      return PostgresIndex.open(reading, id).catch(fail(`reading index version ${built.version}`));
    },
    close: () => pool.end(),
  };
}

/** The database a URL names, without its password, for messages and logs. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.username ? `${parsed.username}@` : ''}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}
