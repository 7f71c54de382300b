import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, TSX, createWorkspace, type Workspace } from './helpers/workspace.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let workspace: Workspace;

function run(script: string, args: string[], stdin?: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      TSX,
      [path.join(PROJECT_ROOT, 'src/cli', script), ...args],
      { cwd: PROJECT_ROOT, env: workspace.processEnv(env) },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

const ask = (args: string[], stdin?: string) => run('ask.ts', args, stdin);

beforeAll(async () => {
  workspace = await createWorkspace();
});
afterAll(() => workspace.cleanup());

const RESULT_KEYS = ['rank', 'source', 'title', 'url', 'location', 'score', 'quote', 'passage', 'missing'];

function expectAnswerShape(json: unknown): void {
  const answer = json as Record<string, unknown>;
  expect(Object.keys(answer)).toEqual(['question', 'answered', 'notMentioned', 'unstated', 'results']);
  expect(typeof answer.question).toBe('string');
  expect(typeof answer.answered).toBe('boolean');
  expect(Array.isArray(answer.notMentioned)).toBe(true);
  for (const result of answer.results as Array<Record<string, unknown>>) {
    expect(Object.keys(result)).toEqual(RESULT_KEYS);
    expect(typeof result.rank).toBe('number');
    expect(typeof result.score).toBe('number');
    expect(result.url === null || typeof result.url === 'string').toBe(true);
    for (const key of ['source', 'title', 'location', 'quote', 'passage']) expect(typeof result[key]).toBe('string');
    expect(Array.isArray(result.missing)).toBe(true);
  }
}

describe('npm run ask', () => {
  it('builds the index when there is none, then prints exactly one JSON object with --json', async () => {
    const { code, stdout, stderr } = await ask(['--json', 'Which newspapers received the leaked documents?']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/Embedding/);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]!) as { answered: boolean; results: Array<{ rank: number; passage: string }> };
    expectAnswerShape(answer);
    expect(answer.answered).toBe(true);
    // At most the default three, and only confident ones: this question has two good passages.
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.results.length).toBeLessThanOrEqual(3);
    expect(answer.results.map((r) => r.rank)).toEqual(answer.results.map((_, i) => i + 1));
    expect(answer.results[0]!.passage).toContain('The New York Times and the New York Post');
  });

  it('prints quotes with citations for a person', async () => {
    const { code, stdout } = await ask(['--results', '5', 'What did the Secret Service foil in July?']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d\. paragraph \d+, lines? \d+ · 000_a3e3ba9c672df76e\.txt · https:\/\/arab\.news\/y52zn#:~:text=/m);
    expect(stdout).toContain('   > ');
    // Each document's title once, on its own line above its results.
    const json = JSON.parse((await ask(['--json', '--results', '5', 'What did the Secret Service foil in July?'])).stdout);
    const titles = new Set<string>(json.results.map((result: { title: string }) => result.title));
    const titleLines = stdout.split('\n').filter((line) => titles.has(line));
    expect(titleLines.sort()).toEqual([...titles].sort());
    expect(stdout).toMatch(/(All \w+ passages that answer|The best \w+ of \w+ passages that answer)\. Quoted verbatim/);
  });

  it('names what the score of each mode is, since they are not on one scale', async () => {
    const hybrid = await ask(['What did the Secret Service foil in July?']);
    expect(hybrid.stdout).toMatch(/\(score 0\.\d+\)/);
    const lexical = await ask(['--mode', 'lexical', 'What did the Secret Service foil in July?']);
    expect(lexical.stdout).toMatch(/\(BM25 \d+(\.\d+)?\)/);
    expect(lexical.stdout).not.toMatch(/\(score /);
    const dense = await ask(['--mode', 'dense', 'What did the Secret Service foil in July?']);
    expect(dense.stdout).toMatch(/\(cosine -?\d(\.\d+)?\)/);
  });

  it('says so when the corpus does not answer', async () => {
    const { code, stdout } = await ask(['--json', 'What is the tallest mountain in Europe?']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ question: 'What is the tallest mountain in Europe?', answered: false, notMentioned: ['Europe'], unstated: null, results: [] });
  });

  it('names what the documents never mention, and what a result leaves out of the question', async () => {
    const declined = await ask(['Did Venezuela run disinformation campaigns aimed at American voters?']);
    expect(declined.code).toBe(0);
    expect(declined.stdout).toMatch(/^The documents don't mention Venezuela\. Nothing in the corpus answers/);

    // The documents speak of the Swiss ambassador, but never say who that is.
    const unnamed = await ask(['--json', 'Who is the Swiss ambassador who chairs the US Interest Section?']);
    expect(JSON.parse(unnamed.stdout)).toMatchObject({ answered: false, notMentioned: [], unstated: { asks: 'name', role: 'Swiss ambassador' }, results: [] });
    const unnamedText = await ask(['Who is the Swiss ambassador who chairs the US Interest Section?']);
    expect(unnamedText.stdout).toMatch(/^The documents mention the Swiss ambassador but don't name them\. Nothing in the corpus answers/);
    // They mention Mike Pompeo, but only as a target of threats.
    const unquoted = await ask(['What did Mike Pompeo say about the Iranian threats against him?']);
    expect(unquoted.stdout).toMatch(/^The documents mention Mike Pompeo but don't report what they said\. Nothing in the corpus answers/);

    const { stdout } = await ask(['--json', '--results', '5', 'What did Beijing say when Voice of America asked about Cuba?']);
    const answer = JSON.parse(stdout) as { results: Array<{ passage: string; missing: string[] }> };
    for (const result of answer.results) {
      expect(result.missing.every((name) => ['Beijing', 'Voice of America', 'Cuba'].includes(name))).toBe(true);
      for (const name of result.missing) expect(result.passage).not.toContain(name);
    }
    expect(answer.results.some((result) => result.missing.length > 0)).toBe(true);
  });

  it('answers one question per stdin line with one JSON object per line, skipping bad lines with a message', async () => {
    const input = ['What did Harris condemn?', '', 'What is the speed of light?', 'bad\u0007line', 'What did ISNA call the accusations?'].join('\n');
    const { code, stdout, stderr } = await ask(['--stdin'], `${input}\n`);
    const answers = stdout.trim().split('\n').map((line) => JSON.parse(line) as { question: string; answered: boolean });
    answers.forEach(expectAnswerShape);
    expect(answers.map((a) => [a.question, a.answered])).toEqual([
      ['What did Harris condemn?', true],
      ['What is the speed of light?', false],
      ['What did ISNA call the accusations?', true],
    ]);
    expect(stderr).toMatch(/line 4 skipped: .*control characters/);
    expect(code).toBe(2);
  });

  it.each([
    ['an empty question', ['']],
    ['only whitespace', ['   \t  ']],
    ['a 10,000-character question', ['why '.repeat(2500)]],
    ['control characters', ['what\u0001is this']],
    ['an unknown option', ['--nope', 'question']],
    ['a bad --results', ['--results', '99', 'question']],
  ])('refuses %s with a clear message, exit code 2 and no stack trace', async (_, args) => {
    const { code, stdout, stderr } = await ask(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: \S/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('names the setting to change when the model cannot be found', async () => {
    const { code, stderr } = await run('ask.ts', ['a question'], undefined, { EMBEDDING_MODEL: './no/such/model' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/Could not load the embedding model ".\/no\/such\/model".*Unset EMBEDDING_MODEL/s);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('npm run index', () => {
  it('reports what changed, and that nothing did on a second run', async () => {
    await workspace.remove('added.md').catch(() => undefined);
    expect((await run('index-corpus.ts', [])).code).toBe(0);
    await workspace.write('added.md', '# Added\n\nA freshly added article about the harvest festival in Lyon, held every autumn.\n');
    const first = await run('index-corpus.ts', []);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/Scanning: 6 files \(1 new, 0 changed, 0 removed\)/);
    expect(first.stdout).toMatch(/Documents: 1 new, 0 changed, 0 removed, 5 unchanged\./);
    const second = await run('index-corpus.ts', []);
    expect(second.stdout).toMatch(/is up to date: 6 documents/);
    expect(second.stdout).toMatch(/Passages: 0 embedded/);
  });
});

describe('corpus text printed to a terminal', () => {
  it('has terminal control sequences removed in text output, and kept exact in JSON', async () => {
    const hostile = await createWorkspace({ seeds: false });
    try {
      const text =
        'Quillfeather \u001b]0;pwned\u0007report\n\nThe Quillfeather archive\u001b[2J\u001b[31m holds forty letters\u009b1m from the lighthouse keepers of Skerry, catalogued in 1902.\r\n';
      await hostile.write('escapes.txt', text);
      const env = { CORPUS_DIR: hostile.corpusDir, INDEX_DIR: hostile.indexDir };
      const printed = await run('ask.ts', ['How many letters does the Quillfeather archive hold?'], undefined, env);
      expect(printed.code).toBe(0);
      expect(printed.stdout).toContain('The Quillfeather archive holds forty letters from the lighthouse keepers');
      expect(printed.stdout).toContain('Quillfeather report');
      expect(printed.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);

      const json = await run('ask.ts', ['--json', 'How many letters does the Quillfeather archive hold?'], undefined, env);
      const answer = JSON.parse(json.stdout) as { results: Array<{ passage: string; title: string }> };
      expect(answer.results[0]!.passage).toContain('archive\u001b[2J\u001b[31m holds forty letters\u009b1m from');
      expect(answer.results[0]!.title).toBe('Quillfeather \u001b]0;pwned\u0007report');
    } finally {
      await hostile.cleanup();
    }
  });
});
