import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { extractPdf } from '../../src/corpus/formats/pdf.js';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { CorpusEngine } from '../../src/engine/corpus-engine.js';
import { readCorpus } from '../../src/eval/beir-dataset.js';
import { makePdf } from '../../test/helpers/pdf-fixture.js';
import { count, duration, type SectionResult } from '../report.js';
import { benchSettings, modelCacheDir, SCIFACT_DIR } from '../setup.js';
import { distributionOf, timeAsync } from '../stats.js';

const PAGES = 200;
const LINES_PER_PAGE = 44;
const LINE_CHARS = 90;

/** SciFact abstracts set as a 200-page report: real prose, wrapped into lines, paragraphs kept. */
async function reportPages(): Promise<string[][][]> {
  const pages: string[][][] = [[]];
  let lines = 0;
  for await (const document of readCorpus(SCIFACT_DIR)) {
    const paragraph: string[] = [];
    let line = '';
    // Helvetica without an embedded font writes WinAnsi only: accents are folded, Greek and the like left out.
    const text = document.text.normalize('NFKD').replace(/[^\x20-\x7e\s]/gu, '');
    for (const word of text.split(/\s+/u).filter(Boolean)) {
      if (line !== '' && line.length + word.length + 1 > LINE_CHARS) {
        paragraph.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    if (line !== '') paragraph.push(line);
    if (lines + paragraph.length + 1 > LINES_PER_PAGE) {
      if (pages.length === PAGES) break;
      pages.push([]);
      lines = 0;
    }
    pages.at(-1)!.push(paragraph.slice(0, LINES_PER_PAGE));
    lines += paragraph.length + 1;
  }
  return pages;
}

/** Indexing a 200-page PDF: extraction alone, and the whole build from nothing. */
export async function formatsSection({ embedder, quick }: { embedder: Embedder; quick: boolean }): Promise<SectionResult> {
  const root = path.join(modelCacheDir(embedder), 'pdf-200');
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  await mkdir(corpusDir, { recursive: true });
  const pages = await reportPages();
  const bytes = await makePdf(pages, { title: 'SciFact abstracts as a report' });
  await writeFile(path.join(corpusDir, 'report.pdf'), bytes);

  const runs = quick ? 2 : 3;
  process.stderr.write(`  extracting a ${pages.length}-page PDF (${runs} runs)\n`);
  const extraction = await timeAsync({ warmup: 1, runs }, () => extractPdf(bytes));
  const builds: number[] = [];
  let passages = 0;
  for (let run = 0; run < runs; run += 1) {
    await rm(indexDir, { recursive: true, force: true });
    const started = performance.now();
    const engine = await CorpusEngine.open(benchSettings(corpusDir, indexDir), { embedder });
    builds.push(performance.now() - started);
    passages = engine.sources()[0]?.passages ?? 0;
  }
  const build = distributionOf(builds);
  return {
    key: 'formats',
    figures: { pages: pages.length, bytes: bytes.length, passages, extractionMs: extraction, buildMs: build },
    tables: [
      {
        title: `Indexing a ${pages.length}-page PDF (${count(bytes.length)} bytes, ${count(passages)} passages)`,
        header: ['step', 'p50', 'pages/s', 'passages/s'],
        rows: [
          ['text extraction (pdf.js: lines, paragraphs, running headers)', duration(extraction.p50), (pages.length / (extraction.p50 / 1000)).toFixed(0), ''],
          ['whole build from nothing (extraction, chunking, embedding, writing)', duration(build.p50), (pages.length / (build.p50 / 1000)).toFixed(1), (passages / (build.p50 / 1000)).toFixed(1)],
        ],
        note: `SciFact abstracts set in Helvetica by pdf-lib, ${LINES_PER_PAGE} lines a page, with a running header and footer; ${runs} runs each.`,
      },
    ],
    targets: [],
  };
}
