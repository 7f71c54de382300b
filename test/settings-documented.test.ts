import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/workspace.js';

/** Every environment variable the product's code reads: through the settings readers, or process.env directly. */
async function variablesRead(): Promise<Set<string>> {
  const names = new Set<string>();
  const files = [
    ...(await readdir(path.join(PROJECT_ROOT, 'src'), { recursive: true })).map((file) => path.join('src', file)),
    'bench/setup.ts',
  ].filter((file) => file.endsWith('.ts'));
  for (const file of files) {
    const text = await readFile(path.join(PROJECT_ROOT, file), 'utf8');
    for (const match of text.matchAll(/\bread\w*\(\s*env,\s*'([A-Z][A-Z0-9_]*)'/g)) names.add(match[1]!);
    for (const match of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) names.add(match[1]!);
  }
  return names;
}

describe('.env.example', () => {
  it('documents every variable the code reads', async () => {
    const example = await readFile(path.join(PROJECT_ROOT, '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!));
    const read = await variablesRead();
    expect(read.size).toBeGreaterThan(30);
    expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });
});
