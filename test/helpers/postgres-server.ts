import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { AddressInfo } from 'node:net';

export interface PostgresServer {
  /** What DATABASE_URL is set to, to reach it through the `pg` client as a Postgres server is reached. */
  url: string;
  /** The database itself, to look at (or damage) what the bot stored. */
  db: PGlite;
  stop(): Promise<void>;
}

/**
 * A real Postgres (PGlite: Postgres compiled to WebAssembly) with the real pgvector extension,
 * served on a loopback port with the Postgres wire protocol. PGlite runs one session: the socket
 * server queues clients' statements, and a transaction holds the others until it ends.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const db = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 32 });
  await server.start();
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
