import { IndexStorageError } from '../errors.js';

const errno = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code;
const pathOf = (error: unknown, fallback: string) => (error as NodeJS.ErrnoException | null)?.path ?? fallback;

/**
 * The file-system failure `error` met while `doing` something in the index folder `root`, as
 * one line saying what is wrong and what to change; other errors are returned as they are.
 */
export function storageError(error: unknown, root: string, doing: string, file?: string): unknown {
  // Node names the path in most errors, but not in EISDIR from reading a folder.
  const at = pathOf(error, file ?? root);
  const kept = 'The index in service, if any, was kept.';
  switch (errno(error)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new IndexStorageError(
        `The disk holding the index (INDEX_DIR=${root}) is full: ${doing} failed. Free some space, or set INDEX_DIR to a folder on another disk. ${kept}`,
      );
    case 'EROFS':
      return new IndexStorageError(
        `The index folder (INDEX_DIR=${root}) is on a read-only file system: ${doing} failed. Set INDEX_DIR to a writable folder.`,
      );
    case 'EACCES':
    case 'EPERM':
      return new IndexStorageError(
        `Permission denied for ${at} while ${doing}. Make the index folder (INDEX_DIR=${root}) writable by this user, or set INDEX_DIR to one that is.`,
      );
    case 'ENOTDIR':
    case 'EEXIST':
      return new IndexStorageError(
        `${at} is a file where the index keeps a folder (${doing}). Move it out of INDEX_DIR=${root}, or set INDEX_DIR to another folder.`,
      );
    case 'EISDIR':
      return new IndexStorageError(
        `${at} is a folder where the index keeps a file (${doing}). Remove it from INDEX_DIR=${root}; the index versions beside it are kept.`,
      );
    default:
      return error;
  }
}

/** Runs `action`, turning the file-system failures a person can fix into one clear `IndexStorageError`. */
export async function inStorage<T>(root: string, doing: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw storageError(error, root, doing);
  }
}
