import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deployCommands } from '../../src/discord/deploy-commands.js';
import { readBotSettings } from '../../src/discord/bot-settings.js';
import { DiscordEmulator, guildIdOnShard, type SentInteraction } from '../../test/discord-emulator/emulator.js';
import type { BenchCorpus } from '../corpora.js';
import { ms, type SectionResult, type Target } from '../report.js';
import { BENCH_MODEL, PROJECT_ROOT } from '../setup.js';
import { answerCells, answered, answerFigures, askSteadily, BENCH_TOKEN, BURST, RATE_PER_SECOND, type AnswerFigures } from './bot-burst.js';

export interface ShardsOptions {
  seed: BenchCorpus;
  quick: boolean;
}

const TSX = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');

interface Run extends AnswerFigures {
  shards: number;
  phase: string;
  /** Resident memory of every shard process at the end of the phase, summed. */
  shardsRssMb: number;
}

function rssMb(pid: number): number {
  try {
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/**
 * `npm run start:sharded` as a process of its own (the manager and one process per shard) with
 * one and with two shards, over the seed corpus, against the emulator with one guild per shard:
 * the burst and the sustained rate of the bot section, questions spread over both guilds.
 */
export async function shardsSection({ seed, quick }: ShardsOptions): Promise<SectionResult> {
  const runs: Run[] = [];
  for (const shards of [1, 2]) runs.push(...(await measureShards(shards, seed, quick)));
  const targets: Target[] = runs.map((run) => ({
    what: `${run.shards} shard${run.shards > 1 ? 's' : ''}, ${run.phase}: acknowledged in time, none lost`,
    goal: `all ${run.interactions} ack'd ≤ 3 s and answered`,
    measured: `${run.acknowledgedInTime}/${run.interactions} in time, ${run.answered} answered, ack p99 ${ms(run.ackLatency.p99)} ms`,
    met: run.acknowledgedInTime === run.interactions && run.answered === run.interactions,
  }));
  return {
    key: 'shards',
    figures: { runs },
    targets,
    tables: [
      {
        title: 'Shards: npm run start:sharded under the bot section\'s load, seed corpus',
        header: ['shards', 'phase', 'asked', 'ack ≤ 3 s', 'answered', 'ack p50 ms', 'ack p99 ms', 'answers/s', 'shard processes RSS MB'],
        rows: runs.map((run) => [String(run.shards), run.phase, ...answerCells(run), String(run.shardsRssMb)]),
        note:
          'The manager and its shard processes as `npm run start:sharded` runs them (BOT_SHARDS 1, then 2), each shard with its own ' +
          'copy of the model and the index; the emulator has one guild per shard and the questions alternate between them. ' +
          'Ack and answered as in the bot section; RSS: the shard processes together, at the end of each phase.',
      },
    ],
  };
}

async function measureShards(shards: number, seed: BenchCorpus, quick: boolean): Promise<Run[]> {
  const guildIds = Array.from({ length: shards }, (_, shard) => guildIdOnShard(shard, shards));
  const emulator = await DiscordEmulator.start({ guilds: guildIds.map((id, i) => ({ id, name: `shard ${i}` })) });
  const root = await mkdtemp(path.join(tmpdir(), 'corpus-bot-shards-'));
  await cp(seed.corpusDir, path.join(root, 'corpus'), { recursive: true });
  const env = {
    DISCORD_TOKEN: BENCH_TOKEN,
    DISCORD_CLIENT_ID: emulator.applicationId,
    DISCORD_API_BASE: emulator.apiUrl,
    RATE_LIMIT_QUESTIONS: '1000',
    EMBEDDING_MODEL: BENCH_MODEL,
    CORPUS_DIR: path.join(root, 'corpus'),
    INDEX_DIR: path.join(root, 'index'),
    QUERY_CACHE_SIZE: '0',
    BOT_SHARDS: String(shards),
  };
  await deployCommands(readBotSettings(env));
  const manager = spawn(TSX, [path.join(PROJECT_ROOT, 'src/discord/start-sharded.ts')], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  manager.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const shardPids = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event: string; pid?: number })
      .flatMap((line) => (line.event === 'ready' && line.pid !== undefined ? [line.pid] : []));
  const runs: Run[] = [];
  try {
    await emulator.waitFor(() => (emulator.shardSessions.filter((session) => session.connected).length === shards ? true : undefined), 120_000, 'every shard to identify');
    let asked = 0;
    const ask = () => {
      const guildId = guildIds[asked % shards]!;
      const question = seed.questions[asked % seed.questions.length]!;
      const user = emulator.createUser(`asker${asked}`);
      asked += 1;
      return emulator.sendSlashCommand({ name: 'ask', guildId, user, options: { question } });
    };
    for (let i = 0; i < 2 * shards; i += 1) await answered(emulator, ask());
    const phase = async (name: string, send: () => Promise<SentInteraction[]>): Promise<Run> => {
      process.stderr.write(`  shards: ${shards}, ${name}\n`);
      const answers = await answerFigures(emulator, await send());
      return {
        shards,
        phase: name,
        ...answers,
        shardsRssMb: shardPids().reduce((sum, pid) => sum + rssMb(pid), 0),
      };
    };
    runs.push(await phase('burst', async () => Array.from({ length: BURST }, ask)));
    const seconds = quick ? 10 : 30;
    runs.push(
      await phase(`sustained ${RATE_PER_SECOND}/s for ${seconds} s`, () => askSteadily(ask, seconds)),
    );
  } finally {
    const exited = new Promise((resolve) => manager.once('exit', resolve));
    manager.kill('SIGTERM');
    await exited;
    await emulator.stop();
    await rm(root, { recursive: true, force: true });
  }
  return runs;
}
