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

describe('model download progress', () => {
  it('shows a slow file, a line every few seconds on a pipe, and never "done" while its size is unknown', async () => {
    const { modelProgressPrinter } = await import('../src/render/model-progress.js');
    let clock = 0;
    const { stream, lines } = pipe();
    const show = modelProgressPrinter(stream, () => clock);
    // Known size: nothing in the first second, then every 5 s, and the end.
    for (let loaded = 0; loaded <= 10; loaded += 1) {
      show({ model: 'org/m', file: 'model.onnx', loaded: loaded * 2 ** 20, total: 10 * 2 ** 20 });
      clock += 1_000;
    }
    // Unknown size (no Content-Length): the total grows with what has arrived.
    for (let loaded = 1; loaded <= 10; loaded += 1) {
      show({ model: 'org/m', file: 'tokenizer.json', loaded: loaded * 2 ** 20, total: loaded * 2 ** 20 });
      clock += 1_000;
    }
    expect(lines()).toEqual([
      'Fetching the embedding model org/m: model.onnx 10% of 10.0 MB',
      'Fetching the embedding model org/m: model.onnx 60% of 10.0 MB',
      'Fetching the embedding model org/m: model.onnx 100% of 10.0 MB',
      'Fetching the embedding model org/m: tokenizer.json 5.0 MB so far',
      'Fetching the embedding model org/m: tokenizer.json 10.0 MB so far',
    ]);
  });
});
