/**
 * Which documents a server's questions are answered from: a document under
 * `servers/<server id>/` in the corpus folder is that server's own, every other is shared by all.
 * One bot can so serve several communities without one's documents answering another's.
 */
const SERVER_FOLDER = /^servers\/([^/]+)\//u;

/** The server a document belongs to, or null for a shared one. */
export function serverOf(source: string): string | null {
  return SERVER_FOLDER.exec(source)?.[1] ?? null;
}

/** Whether a question asked in `server` (null: a DM) may be answered from `source`. */
export function isVisibleIn(source: string, server: string | null): boolean {
  const owner = serverOf(source);
  return owner === null || owner === server;
}

/** The folder, relative to the corpus folder, of a server's own documents. */
export function serverFolder(server: string): string {
  return `servers/${server}`;
}
