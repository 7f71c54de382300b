import { randomBytes } from 'node:crypto';
import { lstat, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DocumentRejectedError } from '../errors.js';
import { CORPUS_EXTENSIONS, decode } from './load-corpus.js';

/** What a document added to the corpus folder may be called: what a file name can be anywhere. */
const MAX_NAME_CHARS = 100;
// Letters, digits and a few separators; never a path (no slash, no backslash), never hidden.
const SAFE_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._()-]*$/u;

/**
 * The corpus file name for a name someone gave (a Discord attachment's), or why it cannot be one:
 * a plain file name of the corpus's types, in the corpus folder itself. Nothing outside it can be
 * named ("../x.txt", "/etc/x.txt", "a/b.txt"), nor a hidden file.
 */
export function checkedDocumentName(name: string): string {
  const trimmed = name.trim();
  const extension = path.extname(trimmed).toLowerCase();
  if (!CORPUS_EXTENSIONS.has(extension)) {
    throw new DocumentRejectedError(`Only ${[...CORPUS_EXTENSIONS].join(' and ')} files can be added; “${trimmed}” is not one.`);
  }
  if (trimmed.length > MAX_NAME_CHARS || !SAFE_NAME.test(trimmed) || trimmed.includes('..')) {
    throw new DocumentRejectedError(
      `“${trimmed}” cannot be a document's name: use letters, digits, spaces, dots, dashes and underscores (at most ${MAX_NAME_CHARS} characters), no folders.`,
    );
  }
  return trimmed;
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
 * (size, text, UTF-8), so a file that could not be indexed is refused rather than skipped later.
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
  const decoded = decode(bytes);
  if ('reason' in decoded) throw new DocumentRejectedError(`“${fileName}” cannot be indexed: ${decoded.reason}.`);
  const target = path.join(corpusDir, fileName);
  const existing = await existingFile(target);
  if (existing === 'other') throw new DocumentRejectedError(`“${fileName}” exists in the corpus folder and is not a regular file; nothing was changed.`);
  if (existing === 'file' && !replace) {
    throw new DocumentRejectedError(`A document named “${fileName}” is already in the corpus. Add it again with the option replace set to True to replace it.`);
  }
  const partial = path.join(corpusDir, `.${fileName}.${randomBytes(6).toString('hex')}.part`);
  try {
    await writeFile(partial, bytes, { flag: 'wx' });
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return existing === 'file' ? 'replaced' : 'added';
}

/** Deletes document `name` from the corpus folder; refuses names that are not one of its files. */
export async function removeDocument(corpusDir: string, name: string): Promise<void> {
  const fileName = checkedDocumentName(name);
  const target = path.join(corpusDir, fileName);
  if ((await existingFile(target)) !== 'file') throw new DocumentRejectedError(`There is no document named “${fileName}” in the corpus.`);
  await rm(target);
}
