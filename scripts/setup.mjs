// One-command setup for a fresh clone: install exactly what the lockfile names, create .env
// from .env.example, and build the index so the first question is answered at full speed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (args) => execFileSync(npm, args, { cwd: root, stdio: 'inherit' });

run(['ci']);

const envFile = path.join(root, '.env');
if (existsSync(envFile)) {
  console.log('.env exists: left as it is.');
} else {
  copyFileSync(path.join(root, '.env.example'), envFile);
  // In this project's own workspace the shared offline model sits beside the clone; use it there.
  const sharedModel = path.join(root, '..', 'shared', 'models', 'use-lite');
  if (existsSync(sharedModel)) {
    const text = readFileSync(envFile, 'utf8')
      .replace(/^EMBEDDING_MODEL=.*$/m, 'EMBEDDING_MODEL=../shared/models/use-lite')
      .replace(/^EMBEDDING_OFFLINE=.*$/m, 'EMBEDDING_OFFLINE=true');
    writeFileSync(envFile, text);
    console.log('.env created, using the local model ../shared/models/use-lite.');
  } else {
    console.log('.env created from .env.example: fill in DISCORD_TOKEN and DISCORD_CLIENT_ID to run the bot.');
  }
}

run(['run', '--silent', 'index']);
