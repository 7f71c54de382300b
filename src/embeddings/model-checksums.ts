import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelLoadError } from '../errors.js';

/** The file beside a model's files that lists their sha256, in `sha256sum` format. */
export const CHECKSUM_FILE = 'SHA256SUMS';

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Checks every file a model folder's `SHA256SUMS` lists, so that damaged or swapped weights are
 * refused by name instead of producing wrong vectors. A folder without the file is not checked:
 * most local models (a hub download copied to disk) come without one.
 */
export async function verifyModelFolder(dir: string): Promise<void> {
  const listing = path.join(dir, CHECKSUM_FILE);
  if (!existsSync(listing)) return;
  const entries = (await readFile(listing, 'utf8'))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const match = /^([0-9a-f]{64}) [ *](.+)$/i.exec(line);
      if (!match) throw new ModelLoadError(`${listing} has a line that is not "<sha256>  <file>": "${line}".`);
      return { expected: match[1]!.toLowerCase(), file: match[2]! };
    });
  for (const { expected, file } of entries) {
    const location = path.join(dir, file);
    if (!existsSync(location)) throw new ModelLoadError(`The model file ${location} is missing (listed in ${CHECKSUM_FILE}).`);
    const actual = await sha256Of(location);
    if (actual !== expected) {
      throw new ModelLoadError(
        `The model file ${location} is damaged: its sha256 is ${actual}, ${CHECKSUM_FILE} expects ${expected}. ` +
          'Restore it (git checkout -- models/ for the bundled model).',
      );
    }
  }
}
