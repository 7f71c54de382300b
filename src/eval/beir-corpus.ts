import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BeirDocument } from './beir-dataset.js';

/**
 * Writes a BEIR corpus as a folder of `.txt` files, so that it is indexed by the same code path as
 * any corpus (loading, passage splitting, embedding, BM25). The file name carries the document id,
 * which is how a search result is mapped back to the document the qrels judge.
 */

const EXTENSION = '.txt';
// A title is usually a headline with no final full stop; the corpus loader reads such a line as a
// heading, which is not indexed. Ending it as a sentence makes it prose, so BM25 and the embedding
// model see it as BEIR intends (title and text together); as a short paragraph it is merged into
// the first passage of the abstract when both fit the model's length.
const TERMINATED = /[.!?…]["'”’)\]]*$/u;

/** The file text for a document: its title as a sentence, a blank line, its text. */
export function documentFileText({ title, text }: BeirDocument): string {
  const heading = title.trim();
  const sentence = heading === '' || TERMINATED.test(heading) ? heading : `${heading}.`;
  return `${[sentence, text.trim()].filter((part) => part !== '').join('\n\n')}\n`;
}

/**
 * The file name for a document id. Ids are percent-encoded, so any id makes a valid name of one
 * path segment, and a leading dot is encoded too: the loader skips hidden files.
 */
export function documentFileName(id: string): string {
  return `${encodeURIComponent(id).replace(/^\./, '%2E')}${EXTENSION}`;
}

/** The document id of a corpus file written by `writeBeirCorpus` (its source name in results). */
export function documentIdOf(source: string): string {
  return decodeURIComponent(source.slice(0, -EXTENSION.length));
}

/**
 * Makes `dir` hold exactly the documents' files: every file is (re)written, which leaves the index
 * untouched when its content is the same (the index compares content hashes), and any other file
 * is removed, so a changed dataset never leaves documents of an earlier one behind.
 */
export async function writeBeirCorpus(documents: readonly BeirDocument[], dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const expected = new Map(documents.map((document) => [documentFileName(document.id), document]));
  for (const entry of await readdir(dir)) {
    if (!expected.has(entry)) await rm(path.join(dir, entry), { recursive: true, force: true });
  }
  for (const [name, document] of expected) await writeFile(path.join(dir, name), documentFileText(document));
}
