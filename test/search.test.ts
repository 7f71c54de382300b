import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidQuestionError } from '../src/errors.js';
import { CorpusEngine } from '../src/engine/corpus-engine.js';
import { evaluateSeedQuestions, readEvalQuestions } from '../src/eval/seed-questions.js';
import { ELLIPSIS, quoteText } from '../src/retrieval/quote.js';
import type { Answer, RetrievalMode } from '../src/retrieval/types.js';
import { PROJECT_ROOT, createWorkspace, testEmbedder, type Workspace } from './helpers/workspace.js';

let workspace: Workspace;
let engine: CorpusEngine;
const files = new Map<string, string>();

beforeAll(async () => {
  workspace = await createWorkspace();
  engine = await CorpusEngine.open(workspace.settings(), { embedder: await testEmbedder() });
  for (const source of engine.sources()) {
    files.set(source.source, await readFile(path.join(workspace.corpusDir, source.source), 'utf8'));
  }
});
afterAll(() => workspace.cleanup());

// The repository's own question set, so that the suite needs nothing outside the clone.
const questions = await readEvalQuestions(path.join(PROJECT_ROOT, 'eval/paraphrase-dev.jsonl'));
const sharedSeedQuestions = path.join(PROJECT_ROOT, '../shared/eval/seeds-questions.jsonl');
const modes: RetrievalMode[] = ['dense', 'lexical'];

/** For each pair, one of the first three results quotes the text (a list, so a failure names its question). */
async function expectQuotedInTopThree(cases: ReadonlyArray<readonly [question: string, quoted: string]>): Promise<void> {
  for (const [question, quoted] of cases) {
    const answer = await engine.search(question, { k: 3 });
    expect({ question, quoted: answer.results.some((result) => result.quote.includes(quoted)) }).toEqual({ question, quoted: true });
  }
}

/** An engine over the seed articles and `extra` files (path → text), for `use`, then removed. */
async function withSeedsAnd(extra: Record<string, string>, use: (engine: CorpusEngine) => Promise<void>): Promise<void> {
  const workspace = await createWorkspace();
  let opened: CorpusEngine | undefined;
  try {
    for (const [source, text] of Object.entries(extra)) await workspace.write(source, text);
    opened = await CorpusEngine.open(workspace.settings(), { embedder: await testEmbedder() });
    await use(opened);
  } finally {
    await opened?.close();
    await workspace.cleanup();
  }
}

function expectVerbatim(answer: Answer): void {
  for (const result of answer.results) {
    const file = files.get(result.source)!;
    expect(file).toContain(result.passage);
    expect(result.quote).toContain(result.highlight);
    expect(result.quote.length).toBeLessThanOrEqual(workspace.settings().retrieval.quoteMaxChars + 4);
    // Every piece between ellipses is an exact substring of the passage, and so of the file.
    const pieces = result.quote.split(ELLIPSIS).map((piece) => piece.trim()).filter((piece) => piece !== '');
    expect(pieces.length).toBeGreaterThan(0);
    for (const piece of pieces) expect(result.passage).toContain(piece);
  }
}

describe('answers on the seed corpus with the real model', () => {
  it.each(modes)('quotes verbatim and cites exactly (%s)', async (mode) => {
    for (const { question } of questions) {
      const answer = await engine.search(question, { mode, k: 5 });
      expectVerbatim(answer);
      for (const result of answer.results) {
        const lines = files.get(result.source)!.split('\n');
        const cited = lines.slice(result.lineStart - 1, result.lineEnd).join('\n');
        expect(cited).toContain(result.passage);
        expect(result.location).toMatch(new RegExp(`lines? ${result.lineStart}`));
        expect(result.title).toBe(engine.sources().find((s) => s.source === result.source)!.title);
        // The spans an edge shortens the quote by say the same as the text.
        expect(quoteText(result.passage, result.quoteSpans)).toBe(result.quote);
        expect(result.passage.slice(result.quoteSpans.highlight.start, result.quoteSpans.highlight.end)).toBe(result.highlight);
      }
    }
  });

  it('finds the passage that answers a question, and marks the answering sentence', async () => {
    const answer = await engine.search('What did the Secret Service foil in July?');
    expect(answer.answered).toBe(true);
    const hit = answer.results.find((result) => result.source === '000_a3e3ba9c672df76e.txt');
    expect(hit?.rank).toBeLessThanOrEqual(3);
    expect(hit!.highlight).toContain('foiled an attempt by Tehran to assassinate the former president');
    expect(hit!.url).toBe('https://arab.news/y52zn');
  });

  it.skipIf(!existsSync(sharedSeedQuestions))('declines every out-of-corpus question in the default mode, and no in-corpus one', async () => {
    for (const item of await readEvalQuestions(sharedSeedQuestions)) {
      const answer = await engine.search(item.question);
      expect({ question: item.question, answered: answer.answered }).toEqual({ question: item.question, answered: !item.outOfCorpus });
      if (item.outOfCorpus) expect(answer.results).toEqual([]);
    }
  });

  it('quotes the sentence that answers, not only the one that repeats the question\'s words', async () => {
    // The sentence naming the spokesman shares the question's words; the next one answers it.
    const answer = await engine.search("How did the ministry's spokesman characterise Washington's allegations?");
    const hit = answer.results.find((result) => result.passage.includes('Khatibzadeh called the US allegations'));
    expect(hit?.rank).toBe(1);
    expect(hit!.quote).toContain('“fabricated, deceitful, repetition and naïve.”');
  });

  it('keeps the sentence that carries the subject on, though the two sentences run past 400 characters', async () => {
    // "…a joint announcement from key agencies, including the Office of the Director of National
    // Intelligence (ODNI), FBI, and …(CISA), which highlighted a surge in aggressive actions…" (285
    // characters) is followed by the answer: "These efforts are specifically aimed at…".
    const answer = await engine.search('What were the aggressive moves by Iran that the ODNI, FBI and CISA announced meant to achieve?');
    const hit = answer.results.find((result) => result.passage.includes('These efforts are specifically aimed at'));
    expect(hit?.rank).toBe(1);
    expect(hit!.quote).toContain('specifically aimed at influencing the American public');
  });

  it('finds what the documents say under another name (a capital for its country)', async () => {
    const answer = await engine.search('Has Cuba considered influence efforts targeting candidates?');
    expect(answer.results[0]!.quote).toContain('Havana almost certainly has considered influence efforts targeting some candidates');
    expect(answer.results[0]!.missing).toEqual([]);
  });

  it('declines a question about a name no document mentions, and says which', async () => {
    for (const [question, missing] of [
      ['Did Venezuela run disinformation campaigns aimed at American voters?', ['Venezuela']],
      ['What did Avril Haines say about Iran?', ['Avril Haines']],
      ["What did Google's threat team report about Iranian phishing?", ['Google']],
    ] as const) {
      const answer = await engine.search(question);
      expect({ question, answered: answer.answered, notMentioned: answer.notMentioned }).toEqual({ question, answered: false, notMentioned: missing });
    }
    // A name the documents use under another name is mentioned: the Kremlin stands for Moscow.
    const kremlin = await engine.search('What does the Kremlin want from a Republican president?');
    expect(kremlin.notMentioned).toEqual([]);
    expect(kremlin.answered).toBe(true);
  });

  it('finds an acronym the documents only spell out, and still declines one they never use', async () => {
    // The briefing was "organized by the Office of the Director of National Intelligence, the FBI and the Department of Homeland Security".
    const dhs = await engine.search('Was DHS among the agencies that organised the briefing on Iran and Trump?', { k: 3 });
    const briefing = dhs.results.find((result) => result.quote.includes('the Department of Homeland Security'));
    expect(briefing?.missing).toEqual([]);
    expect(await engine.search('Was the NSA among the agencies that organised the briefing on Iran and Trump?')).toMatchObject({ answered: false, notMentioned: ['NSA'] });

    // In a server's scope the same, whether or not another server's documents use the acronym.
    const others: Array<Record<string, string>> = [{}, { 'servers/111/dhs.txt': 'DHS notes\n\nThe DHS keeps notes on harbour schedules.\n' }];
    for (const other of others) {
      await withSeedsAnd(other, async (scopedEngine) => {
        const inServer = await scopedEngine.search('Was DHS among the agencies that organised the briefing on Iran and Trump?', { k: 3, server: '222' });
        const found = inServer.results.find((result) => result.quote.includes('the Department of Homeland Security'));
        expect({ other: Object.keys(other), missing: found?.missing }).toEqual({ other: Object.keys(other), missing: [] });
      });
    }
  });

  it('answers "how many" with a count of what was asked about, and "which day" with a day', async () => {
    // The documents state counts and days, but not these: each passage on the topic holds another number.
    for (const [question, asks] of [
      ['How many were killed in the October 1 Iranian missile strike on Israel?', 'count'],
      ["How many U.S. forces were killed in Iran's missile strikes in Iraq?", 'count'],
      ['On which day in July was the Tehran plot to assassinate Trump foiled?', 'day'],
    ] as const) {
      const answer = await engine.search(question);
      expect({ question, answered: answer.answered, unstated: answer.unstated }).toEqual({ question, answered: false, unstated: { asks, role: null } });
    }
    await expectQuotedInTopThree([
      ['How many Iran-linked hacking groups did Microsoft name this month?', 'Microsoft identified four groups'],
      ['How many former Trump officials targeted by Tehran are still guarded by the Secret Service?', 'all three individuals remain under Secret Service protection'],
      ['Which day of the week did the Journal make Tehran\'s note public?', 'revealed it on Friday'],
    ]);
  });

  it('declines "who is the <role>" when the documents speak of the role but name no one, until one does', async () => {
    const question = 'Who is the Swiss ambassador who chairs the US Interest Section?';
    expect(await engine.search(question)).toMatchObject({ answered: false, notMentioned: [], unstated: { asks: 'name', role: 'Swiss ambassador' } });
    const spokesman = await engine.search('What is the name of the spokesman for Iran\'s foreign ministry?', { k: 3 });
    expect(spokesman.results.some((result) => result.quote.includes('Saeed Khatibzadeh, Foreign Ministry spokesman'))).toBe(true);

    const swissEnvoy = 'Swiss envoy in Tehran\n\nNadine Olivieri Lozano has been the Swiss ambassador in Tehran since 2021; she chairs the US Interest Section and carries messages between the two governments.\n';
    await withSeedsAnd({ 'swiss-envoy.txt': swissEnvoy }, async (withName) => {
      const answer = await withName.search(question, { k: 3 });
      expect(answer.results.some((result) => result.quote.includes('Nadine Olivieri Lozano'))).toBe(true);
    });
  });

  it('declines "what did <name> say" when the documents mention them but report nothing they said', async () => {
    expect(await engine.search('What did Mike Pompeo say about the Iranian threats against him?')).toMatchObject({
      answered: false,
      notMentioned: [],
      unstated: { asks: 'words', role: 'Mike Pompeo' },
    });
    await expectQuotedInTopThree([
      ['What did Khatibzadeh call the US allegations?', '“fabricated, deceitful, repetition and naïve.”'],
      ['What did Miryousefi say about interfering in other countries’ elections?', 'Iran does not interfere in other country’s elections'],
      // Named in full elsewhere ("Democrat candidate Kamala Harris"), she speaks as "Harris".
      ['What did Kamala say about Iran’s missile strike?', 'Harris has condemned Iran’s recent retaliatory missile strike'],
    ]);
  });

  it('answers who holds a role the documents name after the phrase that places it, in a list, or in the sentence before', async () => {
    for (const [question, quoted] of [
      ['Who is the deputy press officer at the Iranian mission to the UN?', 'Alireza Miryousefi'],
      ['Who are the key figures Iran intends to harm?', 'Mike Pompeo'],
      ['Who are the individuals under Secret Service protection?', 'Mike Pompeo'],
    ] as const) {
      const answer = await engine.search(question, { k: 3 });
      expect({ question, unstated: answer.unstated, quoted: answer.results.some((result) => result.quote.includes(quoted)) }).toEqual({ question, unstated: null, quoted: true });
    }
  });

  it("judges a question's names in a server's scope on what that server sees, so it learns nothing of another server's documents", async () => {
    await withSeedsAnd({ 'servers/111/zorblax.txt': 'Zorblax notes\n\nZorblax keeps notes on shipping schedules in the harbour.\n' }, async (engineScoped) => {
      const count = 'How many were killed in the October 1 Iranian missile strike on Israel';
      const mentionedElsewhere = await engineScoped.search(`${count}, according to Zorblax?`, { server: '222' });
      const mentionedNowhere = await engineScoped.search(`${count}, according to Quuxly?`, { server: '222' });
      expect(mentionedElsewhere).toMatchObject({ answered: false, notMentioned: [], unstated: null });
      expect(mentionedNowhere).toMatchObject({ answered: false, notMentioned: [], unstated: null });
      // Where the names are all in the documents it may read, the decline says what is missing.
      expect((await engineScoped.search(`${count}?`, { server: '222' })).unstated).toEqual({ asks: 'count', role: null });

      // Nor does the answer itself depend on a name only another server's documents hold: both
      // are declined alike in server 222, while server 111, whose notes mention Zorblax, is answered.
      const said = (name: string) => `What did ${name} say about Iran's election interference?`;
      for (const name of ['Zorblax', 'Quuxly']) {
        expect({ name, ...(await engineScoped.search(said(name), { server: '222' })) }).toMatchObject({ name, answered: false, notMentioned: [], unstated: null, results: [] });
      }
      expect((await engineScoped.search(said('Zorblax'), { server: '111' })).answered).toBe(true);
      // Without a server (the CLI, the evaluations) every document counts, and the reply names what none mentions.
      expect((await engineScoped.search(said('Quuxly'))).notMentioned).toEqual(['Quuxly']);
    });
  });

  it('quotes the answer and declines as measured on the dev set (what the user reads)', async () => {
    const metrics = await evaluateSeedQuestions(questions, 'hybrid', (question) => engine.search(question, { k: 3 }));
    // README, Evaluation: quote@3 0.769, near-topic 21/24 declined, 0/130 wrongly declined.
    expect(metrics.quoteAt3).toBeGreaterThanOrEqual(0.72);
    expect(metrics.correctlyDeclined).toBeGreaterThanOrEqual(21);
    expect(metrics.wronglyDeclined).toBeLessThanOrEqual(2);
  });

  it('restricts to one document and pages through the same ranking', async () => {
    const question = 'What did Iran say about the accusations?';
    const only = await engine.search(question, { source: '003_ed7262cd783d48bf.txt', k: 5 });
    expect(only.results.length).toBeGreaterThan(0);
    expect(new Set(only.results.map((r) => r.source))).toEqual(new Set(['003_ed7262cd783d48bf.txt']));

    const all = await engine.search(question, { k: 6 });
    const secondPage = await engine.search(question, { k: 3, offset: 3 });
    expect(secondPage.results.map((r) => [r.rank, r.passageId])).toEqual(all.results.slice(3, 6).map((r) => [r.rank, r.passageId]));
  });

  it('counts as answers the passages near the best one, not every passage sharing a word with the question', async () => {
    const unfiltered = await CorpusEngine.open(workspace.settings({ MIN_SCORE_RATIO: '0' }), { embedder: await testEmbedder() });
    let [kept, all, answerPassages, answerPassagesKept] = [0, 0, 0, 0];
    for (const { question, expect: expected } of questions.filter((q) => q.expect.length > 0)) {
      const [answer, everything] = await Promise.all([engine.search(question, { k: 60 }), unfiltered.search(question, { k: 60 })]);
      kept += answer.totalMatches;
      all += everything.totalMatches;
      expect(answer.totalMatches).toBe(answer.results.length);
      for (const result of answer.results) expect(result.score).toBeGreaterThanOrEqual(0.5 * answer.results[0]!.score);
      // The passage holding the answer, where it is among the first ten: still there to page to.
      const holdsAnswer = (r: Answer['results'][number]) => expected.some((e) => e.source === r.source && r.passage.includes(e.contains));
      if (everything.results.slice(0, 10).some(holdsAnswer)) {
        answerPassages += 1;
        if (answer.results.some(holdsAnswer)) answerPassagesKept += 1;
      }
    }
    // Measured on the dev set: 30 matches a question unfiltered, 13.5 kept; 2 answer passages in the first ten lost.
    expect(kept / all).toBeLessThan(0.6);
    expect(answerPassagesKept).toBeGreaterThanOrEqual(answerPassages - 3);
  });

  it('refuses questions it cannot search, saying why', async () => {
    for (const bad of ['', '   \n\t ', 'x'.repeat(10_000), 'who\u0000is', '?!…']) {
      await expect(engine.search(bad)).rejects.toBeInstanceOf(InvalidQuestionError);
    }
  });
});

describe('near-duplicates across files', () => {
  it('shows the same text from two files once, keeping the better-ranked copy', async () => {
    const copy = await createWorkspace();
    try {
      await copy.write('copy-of-000.txt', files.get('000_a3e3ba9c672df76e.txt')!);
      const withCopy = await CorpusEngine.open(copy.settings(), { embedder: await testEmbedder() });
      const answer = await withCopy.search('What did the Secret Service foil in July?', { k: 5, mode: 'lexical' });
      const foiled = answer.results.filter((r) => r.passage.includes('foiled an attempt by Tehran'));
      expect(foiled).toHaveLength(1);
      expect(answer.results.map((r) => r.rank)).toEqual(answer.results.map((_, i) => i + 1));
    } finally {
      await copy.cleanup();
    }
  });
});
