import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readEngineSettings } from '../src/engine/engine-settings.js';
import { CorpusEngine } from '../src/engine/corpus-engine.js';
import { renderAnswer } from '../src/discord/render-answer.js';
import { runMain } from '../src/run-main.js';
import { UsageError } from '../src/errors.js';
import { messageHtml } from './discord-embed-html.js';

/**
 * The README's picture of an answer: the bot's real message for a question (the engine over the
 * configured corpus, `renderAnswer`'s embed JSON), drawn as HTML and photographed by headless
 * Chromium (`apt install chromium fonts-noto-color-emoji`). Usage: npm run docs:answer-image -- [question] [out.png]
 */
const WIDTH = 800;

function chromium(args: string[]): string {
  try {
    return execFileSync(process.env.CHROMIUM ?? 'chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (error) {
    throw new UsageError(`Could not run Chromium (${error instanceof Error ? error.message : String(error)}). Install it (apt install chromium fonts-noto-color-emoji) or set CHROMIUM to its path.`);
  }
}

runMain(async () => {
  const question = process.argv[2] ?? 'What did the Secret Service foil in July?';
  const out = path.resolve(process.argv[3] ?? 'docs/answer.png');
  const engine = await CorpusEngine.open(readEngineSettings());
  const answer = await engine.search(question, { k: engine.defaultResults });
  const message = renderAnswer(answer.question, answer, { answerId: 1, votes: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'answer-image-'));
  try {
    const page = path.join(dir, 'answer.html');
    // The page's height, measured by Chromium itself, so the picture is cropped to the message.
    writeFileSync(page, `${messageHtml(message, { botName: 'Corpus Bot', question })}<script>document.title = document.body.scrollHeight</script>`);
    const height = Number(/<title>(\d+)<\/title>/.exec(chromium([`--window-size=${WIDTH},2000`, '--dump-dom', `file://${page}`]))?.[1]);
    chromium([`--window-size=${WIDTH},${height + 16}`, `--screenshot=${out}`, `file://${page}`]);
    console.log(`${path.relative(process.cwd(), out)}: ${WIDTH}×${height + 16}, "${question}"`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
