/**
 * Run in a process of its own by the Postgres benchmark: a real Postgres (PGlite) with pgvector,
 * its data on disk in the folder given, served on a loopback port with the wire protocol, as a
 * database server is. Prints one JSON line with the port once it listens; stops on SIGTERM.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { AddressInfo } from 'node:net';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: postgres-server.ts DATA_DIR');
const db = await PGlite.create({ dataDir, extensions: { vector } });
const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 32 });
await server.start();
const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => {
  void server
    .stop()
    .then(() => db.close())
    .finally(() => process.exit(0));
});
