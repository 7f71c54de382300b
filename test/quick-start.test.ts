import { execFile, execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/workspace.js';

/**
 * The README's quick start on a copy of this working tree standing alone in an empty folder (no
 * ../shared beside it), with no network at all: each command runs in a fresh network namespace
 * that has only a loopback interface, so neither the model hub nor any other host can be reached.
 * npm installs from its local cache, as it would for someone who has installed the project before.
 */
const isolation = (() => {
  try {
    execFileSync('unshare', ['--net', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let clone: string;
let parent: string;

/** The environment of someone who has just cloned: none of this workspace's model or corpus settings. */
function freshUserEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_prefer_offline: 'true' };
  for (const name of Object.keys(env)) {
    if (/^(EMBEDDING_|CORPUS_DIR|INDEX_DIR|VITEST|NODE_ENV)/.test(name)) delete env[name];
  }
  return env;
}

function offline(command: string, args: string[], timeout: number, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('unshare', ['--net', command, ...args], { cwd: clone, env: { ...freshUserEnv(), ...env }, timeout, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) =>
      // Colours stripped: what is asserted is the text a person reads.
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}`.replace(/\u001b\[[0-9;]*m/g, '') }),
    );
  });
}

beforeAll(async () => {
  if (!isolation) return;
  parent = await mkdtemp(path.join(tmpdir(), 'corpus-bot-fresh-'));
  clone = path.join(parent, 'corpus-bot');
  // What a clone of this tree would hold: tracked and new files, nothing git ignores.
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && existsSync(path.join(PROJECT_ROOT, file)));
  for (const file of files) {
    await mkdir(path.dirname(path.join(clone, file)), { recursive: true });
    await cp(path.join(PROJECT_ROOT, file), path.join(clone, file));
  }
}, 120_000);
afterAll(() => (parent ? rm(parent, { recursive: true, force: true }) : undefined));

describe.skipIf(!isolation)('the quick start on a fresh clone with no network and nothing beside it', () => {
  it('sets up, answers a question with the bundled model, and passes the model checks', async () => {
    expect(existsSync(path.join(parent, '..', 'shared'))).toBe(false);

    const setup = await offline('npm', ['run', 'setup'], 300_000);
    expect(setup.output).toMatch(/Index \S+ ready: 5 documents/);
    expect(setup.code).toBe(0);
    expect(existsSync(path.join(clone, '.env'))).toBe(true);

    const ask = await offline('npm', ['run', '--silent', 'ask', '--', '--json', 'What did the Secret Service foil in July?'], 120_000);
    expect(ask.code).toBe(0);
    const answer = JSON.parse(ask.output) as { answered: boolean; results: Array<{ source: string; quote: string }> };
    expect(answer.answered).toBe(true);
    expect(answer.results.some((result) => result.quote.includes('foiled an attempt by Tehran'))).toBe(true);

    const checks = await offline('npx', ['vitest', 'run', 'test/embeddings.test.ts'], 300_000);
    expect(checks.output).toMatch(/Tests\s+\d+ passed/);
    expect(checks.output).toMatch(/^SciFact checks skipped: no BEIR SciFact dataset at .*shared\/datasets\/scifact/m);
    expect(checks.code).toBe(0);

    // Asked for a hub model the hub cannot deliver, setup fails in one line that says what to change.
    const hub = await offline('npm', ['run', 'setup'], 300_000, { EMBEDDING_MODEL: 'Xenova/bge-small-en-v1.5' });
    expect(hub.code).not.toBe(0);
    const errors = hub.output.split('\n').filter((line) => line.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: Could not load the embedding model "Xenova\/bge-small-en-v1\.5" from the Hugging Face hub: .*Unset EMBEDDING_MODEL to use the bundled model/);
    expect(errors[0]).not.toMatch(/e\.g\. Xenova\/bge-small-en-v1\.5/);
    expect(hub.output).not.toMatch(/^\s+at /m);
  }, 720_000);
});
