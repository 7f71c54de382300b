import { InvalidQuestionError, UsageError } from '../errors.js';
import { readEngineSettings, type EngineSettings } from '../engine/engine-settings.js';
import { CorpusEngine } from '../engine/corpus-engine.js';
import { answerToJson } from '../render/answer-json.js';
import { normalizeQuestion } from '../retrieval/question.js';
import { ANSI, PLAIN, renderAnswerText } from '../render/answer-text.js';
import type { SearchOptions } from '../retrieval/types.js';
import { modesOption, parseOptions, resultsOption, terminalEvents } from './cli-options.js';
import { runMain } from '../run-main.js';
import { utf8Lines } from './utf8-lines.js';

const USAGE = `Usage: npm run ask -- [options] "question"
       npm run ask -- --stdin [options] < questions.txt

Options:
  --json          print one JSON object: {question, answered, results: [...]}
  --stdin         read one question per line; print one JSON object per line
  --results N     how many results (default from DEFAULT_RESULTS, 3)
  --source FILE   search only this document (a file name from the corpus folder)
  --mode M        hybrid, dense or lexical (default from RETRIEVAL_MODE)`;

function parseCommandLine(): { question: string; json: boolean; stdin: boolean; search: SearchOptions } {
  const { values, positionals } = parseOptions(
    {
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        stdin: { type: 'boolean', default: false },
        results: { type: 'string' },
        source: { type: 'string' },
        mode: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const search: SearchOptions = {};
  const k = resultsOption(values.results);
  if (k !== undefined) search.k = k;
  if (values.mode !== undefined) search.mode = modesOption('--mode', values.mode)[0];
  if (values.source !== undefined) search.source = values.source;
  const question = positionals.join(' ');
  // Node decodes arguments with U+FFFD in place of bytes that are not UTF-8; nobody types it.
  if (question.includes('\uFFFD')) {
    throw new UsageError('The question is not valid UTF-8 text; pass it in UTF-8 (check the terminal or script encoding).');
  }
  if (values.stdin && question !== '') throw new UsageError('Give the question as an argument or on standard input, not both.');
  if (!values.stdin && question.trim() === '') throw new UsageError(`No question given.\n\n${USAGE}`);
  return { question, json: values.json || values.stdin, stdin: values.stdin, search };
}

async function openEngine(settings: EngineSettings): Promise<CorpusEngine> {
  const events = terminalEvents();
  const engine = await CorpusEngine.open(settings, events);
  events.done();
  return engine;
}

function checkSource(engine: CorpusEngine, source: string | undefined): void {
  if (source !== undefined && !engine.sources().some((info) => info.source === source)) {
    throw new UsageError(`--source ${source} is not an indexed document. Indexed: ${engine.sources().map((s) => s.source).join(', ')}`);
  }
}

/** One JSON line per question; a line that is not a valid question is reported on stderr and skipped. */
async function answerStdin(engine: CorpusEngine, search: SearchOptions): Promise<void> {
  let invalid = 0;
  for await (const line of utf8Lines(process.stdin)) {
    if ('invalid' in line) {
      invalid += 1;
      process.stderr.write(`line ${line.number} skipped: it is not valid UTF-8 text.\n`);
      continue;
    }
    if (line.text.trim() === '') continue;
    try {
      process.stdout.write(`${JSON.stringify(answerToJson(await engine.search(line.text, search)))}\n`);
    } catch (error) {
      if (!(error instanceof InvalidQuestionError)) throw error;
      invalid += 1;
      process.stderr.write(`line ${line.number} skipped: ${error.message}\n`);
    }
  }
  if (invalid > 0) process.exitCode = 2;
}

runMain(async () => {
  const { question, json, stdin, search } = parseCommandLine();
  const settings = readEngineSettings();
  // A bad question is refused before the model and index load, not after.
  if (!stdin) normalizeQuestion(question, settings.retrieval.maxQuestionChars);
  const engine = await openEngine(settings);
  checkSource(engine, search.source);
  if (stdin) return answerStdin(engine, search);
  const answer = await engine.search(question, search);
  process.stdout.write(
    json ? `${JSON.stringify(answerToJson(answer))}\n` : `${renderAnswerText(answer, process.stdout.isTTY ? ANSI : PLAIN)}\n`,
  );
});
