// One-command setup for a fresh clone: install exactly what the lockfile names, create .env
// from .env.example, and build the index so the first question is answered at full speed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// Each step prints its own failure (npm's, or the indexer's one line); a stack trace of this
// script on top would only bury it.
const run = (args) => {
  try {
    execFileSync(npm, args, { cwd: root, stdio: 'inherit' });
  } catch (error) {
    process.exit(typeof error.status === 'number' ? error.status : 1);
  }
};

run(['ci']);

const envFile = path.join(root, '.env');
if (existsSync(envFile)) {
  console.log('.env exists: left as it is.');
} else {
  copyFileSync(path.join(root, '.env.example'), envFile);
  console.log('.env created from .env.example: fill in DISCORD_TOKEN and DISCORD_CLIENT_ID to run the bot.');
}

run(['run', '--silent', 'index']);
