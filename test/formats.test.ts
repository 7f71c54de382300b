import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { extractDocx } from '../src/corpus/formats/docx.js';
import { extractHtml } from '../src/corpus/formats/html.js';
import { extractPdf } from '../src/corpus/formats/pdf.js';
import { extractMarkdown } from '../src/corpus/formats/markdown.js';
import type { CorpusEngine } from '../src/engine/corpus-engine.js';
import { openEngine } from './helpers/bot-harness.js';
import { makeDocx, type DocxBlock } from './helpers/docx-fixture.js';
import { makePdf, type PdfPage } from './helpers/pdf-fixture.js';
import { PROJECT_ROOT, TSX, createWorkspace, type Workspace } from './helpers/workspace.js';

const FIXTURES = path.join(PROJECT_ROOT, 'test/fixtures');
const GUIDE = 'harbour-guide.md';
const GUIDE_URL = 'https://docs.example.org/harbour-guide';
const PAGE = 'tide-tables.html';
const PAGE_URL = 'https://port.example.org/guides/tides';

describe('Markdown, read as Markdown', () => {
  it('makes sections of headings (anchors as GitHub makes them), names table cells, keeps code, drops HTML', async () => {
    const extracted = extractMarkdown(await readFile(path.join(FIXTURES, GUIDE), 'utf8'));
    expect(extracted).toMatchObject({ title: "Harbour Master's Guide", url: GUIDE_URL });
    const block = (words: string) => {
      const found = extracted.blocks.find((candidate) => extracted.text.slice(candidate.start, candidate.end).includes(words));
      if (!found) throw new Error(`no block holds "${words}"`);
      return { text: extracted.text.slice(found.start, found.end), ...found };
    };
    // Inline markup is gone; the lines cited are the file's.
    expect(block('48 hours')).toMatchObject({
      kind: 'content',
      text: 'A visiting vessel books a berth through the harbour office at least 48 hours before arrival. Bookings made by radio are confirmed in writing within one working day.',
      section: { label: 'Berths › Booking a berth', anchor: 'booking-a-berth' },
      fileLines: { start: 14, end: 15 },
    });
    expect(block('31 crowns').text).toBe('Vessel length: 10 to 20 metres; Toll per night: 31 crowns');
    expect(block('harbour-watch').text).toBe('harbour-watch --start 22:00 --end 06:00');
    expect(block('channel 16').section?.label).toBe('Night watch');
    // The title heading is the document's name, not a section; front matter and HTML are not text.
    expect(block('explains how the Port').section).toBeNull();
    expect(extracted.text).not.toMatch(/Raw HTML|title:|<div|\*\*|```/);
  });

  it('keeps a first heading that is only part of the title as a section, and takes no link from the text', () => {
    const extracted = extractMarkdown('---\ntitle: Guide — Tides\n---\n\nhttps://example.org/elsewhere\n\n# Tides\n\nThe gates open at high water.\n');
    expect(extracted.url).toBeNull();
    const block = extracted.blocks.find((candidate) => extracted.text.slice(candidate.start, candidate.end).startsWith('The gates'));
    expect(block?.section).toEqual({ label: 'Tides', anchor: 'tides' });
  });

  it('numbers repeated headings as GitHub does, and reads past front matter that is not YAML', () => {
    const extracted = extractMarkdown('---\ntitle: [unclosed\n---\n\nIntro text here.\n\n## Setup\n\nFirst setup step.\n\n## Setup\n\nSecond setup step.\n');
    expect(extracted.title).toBeNull();
    expect(extracted.blocks.filter((block) => block.kind === 'content').map((block) => block.section?.anchor ?? null)).toEqual([null, 'setup', 'setup-1']);
  });
});

describe('HTML, read for its main content', () => {
  it('keeps the article, drops navigation, sidebar, comments, footer and scripts, and takes the canonical URL', async () => {
    const extracted = extractHtml(await readFile(path.join(FIXTURES, PAGE), 'utf8'));
    expect(extracted).toMatchObject({ title: 'Tide tables and the harbour gates', url: PAGE_URL });
    expect(extracted.text).not.toMatch(/Contact us|Popular guides|Fuel prices|Great guide|All rights reserved|Twitter|analytics|font-family/);
    const sections = extracted.blocks.filter((block) => block.kind === 'content').map((block) => [extracted.text.slice(block.start, block.end), block.section?.anchor ?? null]);
    expect(sections).toContainEqual(['The pilotage fee is 120 crowns per passage.', 'pilots']);
    expect(sections).toContainEqual(['Tide: Neap; Depth over the sill: 1.8 metres', 'neap-tides']);
    expect(extracted.blocks.find((block) => extracted.text.slice(block.start, block.end) === 'The pilotage fee is 120 crowns per passage.')?.section?.label).toBe('Spring tides › Pilots at spring tides');
  });
});

const HANDBOOK = 'winter-moorings.docx';
const HANDBOOK_BLOCKS: DocxBlock[] = [
  { text: 'Winter Moorings Handbook', style: 'Title' },
  { text: 'This handbook covers the winter moorings of the Port of Kelmarsh.' },
  { text: 'Applying', style: 'Heading1' },
  { text: 'Owners apply for a winter mooring before the first of September, in writing.', footnote: 'Letters posted after the deadline are kept for next year.' },
  { text: 'Ice', style: 'Heading2' },
  { text: 'When ice forms in the inner basin, the harbour office closes the pontoons to all vessels.', style: 'ListParagraph' },
  { table: [['Month', 'Mooring fee'], ['November', '90 crowns'], ['December', '95 crowns']] },
];

describe('HTML pages without the usual frame', () => {
  it('reads a page with no <body>, and keeps the nesting of its headings although Readability lowers <h1>', () => {
    const extracted = extractHtml(
      '<title>Port notes</title><h1>Moorings</h1><p>Moorings are let by the year, from the first of April.</p>' +
        '<h2 id="winter">Winter</h2><p>Winter moorings are let by the month between November and March.</p>',
    );
    const winter = extracted.blocks.find((block) => extracted.text.slice(block.start, block.end).startsWith('Winter moorings'));
    expect(winter?.section).toEqual({ label: 'Moorings › Winter', anchor: 'winter' });
  });
});

describe('Word documents, read for their structure', () => {
  it('makes sections of Heading styles, takes the Title as the title, keeps lists and tables, leaves out page headers and footnotes', async () => {
    const extracted = await extractDocx(await makeDocx(HANDBOOK_BLOCKS, 'Kelmarsh Port Authority — internal'));
    expect(extracted).toMatchObject({ title: 'Winter Moorings Handbook', url: null });
    const contents = extracted.blocks.filter((block) => block.kind === 'content').map((block) => [extracted.text.slice(block.start, block.end), block.section?.label ?? null]);
    expect(contents).toEqual([
      ['This handbook covers the winter moorings of the Port of Kelmarsh.', null],
      ['Owners apply for a winter mooring before the first of September, in writing.', 'Applying'],
      ['When ice forms in the inner basin, the harbour office closes the pontoons to all vessels.', 'Applying › Ice'],
      ['Month: November; Mooring fee: 90 crowns', 'Applying › Ice'],
      ['Month: December; Mooring fee: 95 crowns', 'Applying › Ice'],
    ]);
    expect(extracted.text).not.toMatch(/internal|Letters posted/);
  });
});

const REPORT = 'annual-report-2024.pdf';
const REPORT_URL = 'https://port.example.org/report-2024.pdf';
const REPORT_PAGES: PdfPage[] = [
  [['The dredging of the outer channel was com-', 'pleted in May, two weeks ahead of plan, at a cost', 'of 2.4 million crowns.'], ['Traffic through the gates rose by a tenth over the year.']],
  [['The new fuel berth opened in September and sells', 'diesel at the quay price.'], ['Night patrols of the east quay were doubled in the', 'winter months after two thefts from moored boats.']],
];
const makeReport = () => makePdf(REPORT_PAGES, { title: 'Annual Report 2024', url: REPORT_URL });

describe('PDFs, read page by page', () => {
  it("leaves the process's built-ins as they were: pdf.js's core-js polyfills do not replace push or JSON.parse", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'corpus-bot-pdf-'));
    const file = path.join(dir, 'report.pdf');
    await writeFile(file, await makeReport());
    const { stdout } = await promisify(execFile)(TSX, [path.join(PROJECT_ROOT, 'test/helpers/builtins-after-pdf.ts'), file], { cwd: PROJECT_ROOT });
    await rm(dir, { recursive: true, force: true });
    // JavaScript replacements made every push and JSON.parse in the bot slower, its searches included.
    expect(JSON.parse(stdout)).toEqual({ extracted: true, push: true, parse: true });
  });

  it('joins words hyphenated at a line end, drops the running header and footer, and makes each page a section', async () => {
    const extracted = await extractPdf(await makeReport());
    expect(extracted).toMatchObject({ title: 'Annual Report 2024', url: REPORT_URL });
    expect(extracted.blocks.map((block) => [extracted.text.slice(block.start, block.end), block.section])).toEqual([
      ['The dredging of the outer channel was completed in May, two weeks ahead of plan, at a cost of 2.4 million crowns.', { label: 'page 1', anchor: 'page=1' }],
      ['Traffic through the gates rose by a tenth over the year.', { label: 'page 1', anchor: 'page=1' }],
      ['The new fuel berth opened in September and sells diesel at the quay price.', { label: 'page 2', anchor: 'page=2' }],
      ['Night patrols of the east quay were doubled in the winter months after two thefts from moored boats.', { label: 'page 2', anchor: 'page=2' }],
    ]);
    expect(extracted.text).not.toMatch(/Annual Report 2024|Page \d of 2/);
  });

  it('drops running lines only at the page edges, and joins the pieces of a word', async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    for (const number of [1, 2]) {
      const page = pdf.addPage([595, 842]);
      page.drawText(String(number), { x: 290, y: 30, size: 9, font });
      page.drawText('Tolls collected in the year:', { x: 60, y: 700, size: 11, font });
      page.drawText(String(number), { x: 60, y: 685, size: 11, font });
      // One word drawn in two pieces, as a change of font inside it is written.
      page.drawText('Kel', { x: 60, y: 640, size: 11, font });
      page.drawText('marsh harbour office.', { x: 60 + font.widthOfTextAtSize('Kel', 11), y: 640, size: 11, font });
    }
    const extracted = await extractPdf(await pdf.save());
    const texts = extracted.blocks.map((block) => extracted.text.slice(block.start, block.end));
    expect(texts).toEqual(['Tolls collected in the year: 1', 'Kelmarsh harbour office.', 'Tolls collected in the year: 2', 'Kelmarsh harbour office.']);
  });

  it('reads a page in two columns column by column, as it was written, not across', async () => {
    const left = [['Pilots board at the outer', 'buoy in all weathers.'], ['The pilot boat is kept', 'at the east quay.']];
    const right = [['Fuel is sold at the quay', 'price on weekdays.'], ['Ice is delivered on', 'request to the pontoons.']];
    const extracted = await extractPdf(await makePdf([{ columns: [left, right] }]));
    expect(extracted.blocks.map((block) => extracted.text.slice(block.start, block.end))).toEqual([
      'Kelmarsh Port Authority · Annual Report 2024',
      'Page 1 of 1',
      'Pilots board at the outer buoy in all weathers.',
      'The pilot boat is kept at the east quay.',
      'Fuel is sold at the quay price on weekdays.',
      'Ice is delivered on request to the pontoons.',
    ]);
  });
});

describe('Markdown, HTML, Word and PDF documents in the corpus', () => {
  let workspace: Workspace;
  let engine: CorpusEngine;
  const warnings: string[] = [];

  beforeAll(async () => {
    workspace = await createWorkspace();
    await workspace.write(GUIDE, await readFile(path.join(FIXTURES, GUIDE)));
    await workspace.write(PAGE, await readFile(path.join(FIXTURES, PAGE)));
    await workspace.write(HANDBOOK, await makeDocx(HANDBOOK_BLOCKS));
    // A zip that is not a Word document, and bytes that are not a zip: each skipped, naming it.
    await workspace.write('not-word.docx', await new JSZip().file('hello.txt', 'hello').generateAsync({ type: 'nodebuffer' }));
    await workspace.write('garbage.docx', Buffer.from('this is not a zip file at all'));
    await workspace.write(REPORT, await makeReport());
    await workspace.write('broken.pdf', Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'));
    // Only front matter and HTML: nothing to read. Skipped, naming it; the rest is indexed.
    await workspace.write('empty-notes.md', '---\ntitle: Notes\n---\n\n<!-- to do -->\n');
    engine = await openEngine(workspace, { onWarning: (message) => warnings.push(message) });
  });
  afterAll(() => workspace.cleanup());

  it('is answered with quotes cited by section, linked to the section', async () => {
    const answer = await engine.search('How long before arrival must a visiting boat book its berth?');
    const [first] = answer.results;
    expect(first).toMatchObject({ source: GUIDE, title: "Harbour Master's Guide", url: `${GUIDE_URL}#booking-a-berth` });
    expect(first!.location).toBe('Berths › Booking a berth, lines 14–15');
    expect(first!.quote).toContain('at least 48 hours before arrival');

    const toll = (await engine.search('What is the nightly toll for a 15 metre boat?')).results.find((result) => result.source === GUIDE);
    expect(toll?.quote).toContain('10 to 20 metres; Toll per night: 31 crowns');
    expect(toll?.location).toMatch(/^Tolls, line/);
  });

  it('answers from a saved web page, cited by section and paragraph, linked to the heading', async () => {
    const fee = (await engine.search('How much does a pilot cost at spring tides?')).results.find((result) => result.source === PAGE);
    expect(fee).toMatchObject({ title: 'Tide tables and the harbour gates', url: `${PAGE_URL}#pilots` });
    expect(fee!.location).toMatch(/^Spring tides › Pilots at spring tides, paragraphs? \d/);
    expect(fee!.quote).toContain('The pilotage fee is 120 crowns per passage.');
    expect(extractHtml(await readFile(path.join(FIXTURES, PAGE), 'utf8')).text).toContain((await engine.passage(fee!.passageId))!.passage);
  });

  it('quotes the text extracted from each format verbatim', async () => {
    const extractedText = {
      [GUIDE]: extractMarkdown(await readFile(path.join(FIXTURES, GUIDE), 'utf8')).text,
      [PAGE]: extractHtml(await readFile(path.join(FIXTURES, PAGE), 'utf8')).text,
      [HANDBOOK]: (await extractDocx(await makeDocx(HANDBOOK_BLOCKS))).text,
      [REPORT]: (await extractPdf(await makeReport())).text,
    };
    const questions = ['What is the winter rate?', 'How deep is the sill at neap tides?', 'When must owners apply for a winter mooring?', 'How much did traffic through the gates rise?'];
    let quoted = 0;
    for (const question of questions) {
      for (const result of (await engine.search(question, { k: 5 })).results) {
        const text = extractedText[result.source as keyof typeof extractedText];
        if (text === undefined) continue;
        for (const span of result.quote.split(/\s*…\s*/u).filter(Boolean)) expect(text).toContain(span);
        expect(text).toContain((await engine.passage(result.passageId))!.passage);
        quoted += 1;
      }
    }
    expect(quoted).toBeGreaterThanOrEqual(questions.length);
  });

  it('never lets a passage straddle a heading', async () => {
    const extracted = extractMarkdown(await readFile(path.join(FIXTURES, GUIDE), 'utf8'));
    const passages = engine.sources().find((source) => source.source === GUIDE)!;
    expect(passages.passages).toBeGreaterThan(1);
    const headings = extracted.blocks.filter((block) => block.kind === 'heading').map((block) => extracted.text.slice(block.start, block.end));
    for (const question of ['What command starts the night watch?', 'Who must a fire on a vessel be reported to?', 'When is the winter rate reviewed?']) {
      for (const result of (await engine.search(question)).results.filter((candidate) => candidate.source === GUIDE)) {
        const view = (await engine.passage(result.passageId))!;
        for (const heading of headings) expect(view.passage.startsWith(`${heading}\n`) || view.passage.includes(`\n\n${heading}\n\n`)).toBe(false);
        expect(view.location.split(',')[0]).toBe(result.location.split(',')[0]);
      }
    }
  });

  it('answers from a Word document, cited by section and paragraph', async () => {
    const ice = (await engine.search('What happens to the pontoons when the inner basin freezes?')).results.find((result) => result.source === HANDBOOK);
    expect(ice).toMatchObject({ title: 'Winter Moorings Handbook', url: null });
    expect(ice!.location).toMatch(/^Applying › Ice, paragraphs? 1/);
    expect(ice!.quote).toContain('the harbour office closes the pontoons to all vessels');
  });

  it('answers from a PDF, cited by page, linked to the page', async () => {
    const dredging = (await engine.search('When was the dredging of the outer channel finished?')).results.find((result) => result.source === REPORT);
    expect(dredging).toMatchObject({ title: 'Annual Report 2024', url: `${REPORT_URL}#page=1` });
    expect(dredging!.location).toMatch(/^page 1, paragraphs? 1/);
    expect(dredging!.quote).toContain('was completed in May, two weeks ahead of plan');
    const patrols = (await engine.search('Why were the night patrols on the east quay doubled?')).results.find((result) => result.source === REPORT);
    expect(patrols?.location).toMatch(/^page 2, /);
  });

  it('skips files it cannot read as their format, naming each, and indexes the rest', () => {
    expect(warnings).toContainEqual(expect.stringMatching(/^Skipped broken\.pdf: it (could not be read as a PDF \(.+\)|holds no text once read as a PDF)/));
    expect(warnings).toContainEqual(expect.stringMatching(/^Skipped empty-notes\.md: it holds no text once read as Markdown/));
    expect(warnings).toContainEqual(expect.stringMatching(/^Skipped not-word\.docx: it could not be read as a Word document \(.+\)/));
    expect(warnings).toContainEqual(expect.stringMatching(/^Skipped garbage\.docx: it could not be read as a Word document \(.+\)/));
    expect(engine.sources().map((source) => source.source)).toEqual(expect.arrayContaining([GUIDE, PAGE, HANDBOOK, REPORT]));
    expect(engine.sources().map((source) => source.source)).toContain(GUIDE);
  });

  it('is answered from each format by npm run ask, cited by section or page', async () => {
    const { stdout, code } = await new Promise<{ stdout: string; code: number }>((resolve) => {
      const child = execFile(TSX, [path.join(PROJECT_ROOT, 'src/cli/ask.ts'), '--stdin'], { cwd: PROJECT_ROOT, env: workspace.processEnv() }, (error, out) =>
        resolve({ stdout: out, code: error ? Number(error.code ?? 1) : 0 }),
      );
      child.stdin?.end(
        ['When does the night watch start?', 'How much does a pilot cost at spring tides?', 'What happens to the pontoons when the inner basin freezes?', 'When was the dredging of the outer channel finished?']
          .map((question) => `${question}\n`)
          .join(''),
      );
    });
    expect(code).toBe(0);
    const firstFrom = (line: string, source: string) => (JSON.parse(line) as { results: { source: string; location: string; url: string | null }[] }).results.find((result) => result.source === source);
    const [markdown, html, word, pdf] = stdout.trim().split('\n');
    expect(firstFrom(markdown!, GUIDE)).toMatchObject({ location: expect.stringMatching(/^Night watch, lines? 32/), url: `${GUIDE_URL}#night-watch` });
    expect(firstFrom(html!, PAGE)).toMatchObject({ location: expect.stringMatching(/^Spring tides › Pilots at spring tides, paragraph/), url: `${PAGE_URL}#pilots` });
    expect(firstFrom(word!, HANDBOOK)).toMatchObject({ location: expect.stringMatching(/^Applying › Ice, paragraph/), url: null });
    expect(firstFrom(pdf!, REPORT)).toMatchObject({ location: expect.stringMatching(/^page 1, paragraph/), url: `${REPORT_URL}#page=1` });
  });
});
