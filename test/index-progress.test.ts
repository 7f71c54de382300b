import { describe, expect, it } from 'vitest';
import type { IndexProgress } from '../src/indexing/index-types.js';
import { progressPrinter } from '../src/render/index-progress.js';

function pipe(): { stream: NodeJS.WriteStream; lines: () => string[] } {
  let written = '';
  const stream = { isTTY: false, write: (text: string) => ((written += text), true) } as unknown as NodeJS.WriteStream;
  return { stream, lines: () => written.split('\n').filter(Boolean) };
}

const at = (phase: IndexProgress['phase'], passagesEmbedded: number): IndexProgress => ({
  phase,
  files: 5,
  added: 5,
  changed: 0,
  removed: 0,
  passagesToEmbed: 54,
  passagesEmbedded,
});

describe('index progress on a pipe', () => {
  it('prints each phase, a line every few seconds while one lasts, and where the embedding ended', () => {
    let clock = 0;
    const { stream, lines } = pipe();
    const printer = progressPrinter(stream, () => clock);
    printer.update(at('scanning', 0));
    for (let embedded = 0; embedded <= 54; embedded += 6) {
      printer.update(at('embedding', embedded));
      clock += 1_000;
    }
    printer.update(at('writing', 54));
    printer.done();
    expect(lines()).toEqual([
      'Scanning: 5 files (5 new, 0 changed, 0 removed)',
      'Embedding [------------------------] 0/54 passages · 5 files (5 new, 0 changed, 0 removed)',
      // Five seconds after the first line (one update a second here).
      'Embedding [#############-----------] 30/54 passages · 5 files (5 new, 0 changed, 0 removed)',
      'Embedding [########################] 54/54 passages · 5 files (5 new, 0 changed, 0 removed)',
      'Writing the index · 5 files (5 new, 0 changed, 0 removed)',
    ]);
  });
});
