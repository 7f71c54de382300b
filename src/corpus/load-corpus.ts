import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { EmptyCorpusError } from '../errors.js';
import type { SkippedFile, SourceDocument } from './document.js';
import { CORPUS_EXTENSIONS, CORPUS_FILE_TYPES, formatOf, type DocumentFormat } from './formats/formats.js';
import type { ExtractedText } from './formats/extracted.js';
import { splitLines } from './lines.js';
import { titleOf, urlOfDocument } from './metadata.js';

export interface LoadedCorpus {
  documents: SourceDocument[];
  skipped: SkippedFile[];
}

export interface CorpusFile {
  source: string;
  absolutePath: string;
}

function listingFailure(dir: string, error: unknown): EmptyCorpusError {
  const code = (error as NodeJS.ErrnoException).code;
  const problem =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'ENOTDIR'
        ? 'is a file, not a folder'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read (permission denied)'
          : `cannot be read (${(error as Error).message})`;
  return new EmptyCorpusError(`The corpus folder ${dir} ${problem}. Set CORPUS_DIR to a folder of documents (${CORPUS_FILE_TYPES}).`);
}

/** What a directory entry that is not a plain file is, when it is not indexed. */
function notAFile(entry: Dirent): string | null {
  if (entry.isFIFO()) return 'it is a named pipe (FIFO), not a file';
  if (entry.isSocket()) return 'it is a socket, not a file';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'it is a device, not a file';
  return null;
}

/**
 * Why a link in the corpus is not indexed, or null for a link to a file inside the corpus
 * folder. A link out of it (to a home folder's `.env`, say) would publish that file's text in
 * answers, so it is refused whatever its name.
 */
async function linkProblem(link: string, root: string): Promise<string | null> {
  const target = await realpath(link).catch(() => null);
  if (target === null) return 'it is a link to nothing (its target is missing)';
  if (path.relative(root, target).startsWith('..') || path.isAbsolute(path.relative(root, target))) {
    return 'it is a link to a file outside the corpus folder';
  }
  const info = await stat(target);
  return info.isFile() ? null : 'it is a link to something that is not a file';
}

/**
 * Every file of a corpus format (`formats.ts`) below `dir` (hidden files and folders excluded), sorted by name. A
 * link to a file in the corpus folder is indexed under the link's name; links to folders are not
 * followed (they could loop), and anything that is not a file is listed as skipped, never opened.
 */
async function listCorpusFiles(dir: string): Promise<{ files: CorpusFile[]; skipped: SkippedFile[] }> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    throw listingFailure(dir, error);
  }
  const root = await realpath(dir);
  const files: CorpusFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() || !CORPUS_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) continue;
    const absolutePath = path.join(entry.parentPath, entry.name);
    const source = path.relative(dir, absolutePath).split(path.sep).join('/');
    if (source.split('/').some((part) => part.startsWith('.'))) continue;
    if (entry.isSymbolicLink()) {
      const reason = await linkProblem(absolutePath, root);
      if (reason) skipped.push({ source, reason });
      else files.push({ source, absolutePath });
      continue;
    }
    const other = notAFile(entry);
    if (other) skipped.push({ source, reason: other });
    else files.push({ source, absolutePath });
  }
  return { files: files.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)), skipped };
}

/** Why `bytes` cannot be indexed as text, or its decoded text. */
export function decode(bytes: Buffer): { text: string } | { reason: string; transient?: boolean } {
  if (bytes.includes(0)) return { reason: 'it looks binary (it contains NUL bytes)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { reason: 'it is not valid UTF-8' };
  }
  if (text.trim() === '') return { reason: 'it is empty', transient: true };
  return { text };
}

/**
 * The file's text as its format reads it (for plain text, the decoded file; otherwise its
 * extraction too), or why it cannot be indexed.
 */
export async function readAs(format: DocumentFormat, bytes: Buffer): Promise<{ text: string; extracted: ExtractedText | null } | { reason: string; transient?: boolean }> {
  const { reader } = format;
  let text = '';
  if (reader.kind !== 'binary') {
    const decoded = decode(bytes);
    if ('reason' in decoded) return decoded;
    if (reader.kind === 'plain') return { text: decoded.text, extracted: null };
    text = decoded.text;
  } else if (bytes.length === 0) {
    return { reason: 'it is empty', transient: true };
  }
  try {
    const extracted = reader.kind === 'binary' ? await reader.extract(bytes) : reader.extract(text);
    if (extracted.text.trim() === '') return { reason: `it holds no text once read as ${format.name}` };
    return { text: extracted.text, extracted };
  } catch (error) {
    return { reason: `it could not be read as ${format.name} (${error instanceof Error ? error.message : String(error)})` };
  }
}

export type LoadOutcome = { document: SourceDocument } | { skipped: SkippedFile };

export async function loadDocument(file: CorpusFile, maxFileBytes: number): Promise<LoadOutcome> {
  const { source, absolutePath } = file;
  try {
    // Opened without blocking and checked on the open file: a file swapped for a named pipe
    // after the listing must not hang the build waiting for a writer.
    const handle = await open(absolutePath, constants.O_RDONLY | constants.O_NONBLOCK);
    let bytes: Buffer;
    try {
      const info = await handle.stat();
      if (!info.isFile()) return { skipped: { source, reason: 'it is not a regular file' } };
      if (info.size > maxFileBytes) {
        return { skipped: { source, reason: `it is larger than MAX_FILE_BYTES (${info.size} > ${maxFileBytes} bytes)` } };
      }
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
    const format = formatOf(source)!;
    const read = await readAs(format, bytes);
    if ('reason' in read) return { skipped: { source, ...read } };
    const { text, extracted } = read;
    const lines = splitLines(text);
    const document: SourceDocument = {
      source,
      title: extracted?.title ?? titleOf(lines, path.basename(source)),
      // A structured format says where it lives in its metadata; a link in its text is only text.
      url: extracted === null ? urlOfDocument(lines) : extracted.url,
      text,
      hash: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
      lines,
      extractor: format.extractor,
      blocks: extracted?.blocks ?? null,
    };
    return { document };
  } catch (error) {
    return { skipped: { source, reason: `it could not be read (${(error as Error).message})`, transient: true } };
  }
}

// Files are read this many at a time: one after another, a corpus of many small files spends
// most of its load time waiting on each read (206 files: 118 ms one by one).
const CONCURRENT_READS = 16;

export async function loadCorpus(dir: string, maxFileBytes: number): Promise<LoadedCorpus> {
  const { files, skipped: notFiles } = await listCorpusFiles(dir);
  const outcomes: LoadOutcome[] = new Array(files.length);
  let next = 0;
  const reader = async () => {
    for (let i = next++; i < files.length; i = next++) outcomes[i] = await loadDocument(files[i]!, maxFileBytes);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, files.length) }, reader));
  const documents: SourceDocument[] = [];
  const skipped: SkippedFile[] = [...notFiles];
  for (const outcome of outcomes) {
    if ('document' in outcome) documents.push(outcome.document);
    else skipped.push(outcome.skipped);
  }
  return { documents, skipped };
}
