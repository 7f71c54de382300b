import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DocumentRejectedError } from '../errors.js';
import { CORPUS_EXTENSIONS, CORPUS_FILE_TYPES, formatOf } from './formats/formats.js';
import { readAs } from './load-corpus.js';

/** What a document added to the corpus folder may be called: what a file name can be anywhere. */
const MAX_NAME_CHARS = 100;
// File systems count a name's bytes (255 at most), with room for nothing else added to it.
const MAX_NAME_BYTES = 200;
// Letters, digits and a few separators; never a path (no slash, no backslash), never hidden.
const SAFE_NAME = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} ._()-]*$/u;

function supportedType(name: string): void {
  if (!CORPUS_EXTENSIONS.has(path.extname(name).toLowerCase())) {
    throw new DocumentRejectedError(`Only ${CORPUS_FILE_TYPES} files can be added; “${name}” is not one.`);
  }
}

/**
 * The corpus file name for a name someone gave (a Discord attachment's), or why it cannot be one:
 * a plain file name of the corpus's types, in the corpus folder itself, in NFC (as macOS's NFD
 * names are not). Nothing outside the folder can be named ("../x.txt", "/etc/x.txt", "a/b.txt"),
 * nor a hidden file.
 */
export function checkedDocumentName(name: string): string {
  const trimmed = name.trim().normalize('NFC');
  supportedType(trimmed);
  if (trimmed.length > MAX_NAME_CHARS || Buffer.byteLength(trimmed) > MAX_NAME_BYTES || !SAFE_NAME.test(trimmed) || trimmed.includes('..')) {
    throw new DocumentRejectedError(
      `“${trimmed}” cannot be a document's name: use letters, digits, spaces, dots, dashes and underscores (at most ${MAX_NAME_CHARS} characters), no folders.`,
    );
  }
  return trimmed;
}

/** Whether `source` (a file the index holds) is one /documents may remove: a file at the top of the corpus folder, not hidden. */
export function isRemovableName(source: string): boolean {
  return !/[/\\]/.test(source) && !source.startsWith('.') && CORPUS_EXTENSIONS.has(path.extname(source).toLowerCase());
}

// What the operating system can refuse about writing the corpus folder, which a moderator should hear about.
const FOLDER_PROBLEMS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENAMETOOLONG', 'ENOENT', 'ENOTDIR']);

async function inCorpusFolder<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined || !FOLDER_PROBLEMS.has(code)) throw error;
    throw new DocumentRejectedError(`The corpus folder could not be changed (${code} while ${doing}); check CORPUS_DIR and its permissions.`);
  }
}

async function existingFile(file: string): Promise<'file' | 'other' | null> {
  try {
    return (await lstat(file)).isFile() ? 'file' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Puts `bytes` into the corpus folder as `name`, after the checks the corpus loader would make
 * (size, then reading it as its format does), so a file that could not be indexed is refused
 * rather than skipped later.
 * Written beside the target under a hidden name and renamed over it, so a re-index never reads
 * half a file. Refuses to replace an existing file unless `replace` is set.
 */
export async function addDocument(
  corpusDir: string,
  name: string,
  bytes: Buffer,
  { replace, maxFileBytes }: { replace: boolean; maxFileBytes: number },
): Promise<'added' | 'replaced'> {
  const fileName = checkedDocumentName(name);
  if (bytes.length > maxFileBytes) {
    throw new DocumentRejectedError(`“${fileName}” is ${bytes.length} bytes; documents can be at most ${maxFileBytes} (MAX_FILE_BYTES).`);
  }
  const read = await readAs(formatOf(fileName)!, bytes);
  if ('reason' in read) throw new DocumentRejectedError(`“${fileName}” cannot be indexed: ${read.reason}.`);
  const target = path.join(corpusDir, fileName);
  const existing = await inCorpusFolder('looking for it', () => existingFile(target));
  if (existing === 'other') throw new DocumentRejectedError(`“${fileName}” exists in the corpus folder and is not a regular file.`);
  if (existing === 'file' && !replace) {
    throw new DocumentRejectedError(`A document named “${fileName}” is already in the corpus. Add it again with the option replace set to True to replace it.`);
  }
  const partial = path.join(corpusDir, `.upload-${randomBytes(6).toString('hex')}.part`);
  await inCorpusFolder('writing it', async () => {
    try {
      // A server's own folder exists once its first document is added.
      await mkdir(corpusDir, { recursive: true });
      await writeFile(partial, bytes, { flag: 'wx' });
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  });
  return existing === 'file' ? 'replaced' : 'added';
}

/** Deletes document `name` from the corpus folder; refuses names that are not one of its files at its top. */
export async function removeDocument(corpusDir: string, name: string): Promise<void> {
  const target = path.join(corpusDir, name);
  if (!isRemovableName(name) || (await inCorpusFolder('looking for it', () => existingFile(target))) !== 'file') {
    throw new DocumentRejectedError(`There is no document named “${name}” at the top of the corpus folder.`);
  }
  await inCorpusFolder('removing it', () => rm(target));
}
