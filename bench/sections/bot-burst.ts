import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import { commands } from '../../commands/index.js';
import { createBotContext } from '../../src/discord/bot-context-factory.js';
import { readBotSettings } from '../../src/discord/bot-settings.js';
import { createBot } from '../../src/discord/create-bot.js';
import { deployCommands } from '../../src/discord/deploy-commands.js';
import type { Logger } from '../../src/discord/logger.js';
import type { Embedder } from '../../src/embeddings/embedder.js';
import { CorpusEngine } from '../../src/engine/corpus-engine.js';
import { DiscordEmulator, type SentInteraction } from '../../test/discord-emulator/emulator.js';
import { DEFAULT_MEMBER_PERMISSIONS } from '../../test/discord-emulator/payloads.js';
import { writeGeneratedReports } from '../../test/helpers/generated-corpus.js';
import type { BenchCorpus } from '../corpora.js';
import { childrenRss } from '../memory.js';
import { benchSettings } from '../setup.js';
import { ms, type SectionResult, type Target } from '../report.js';
import { distributionOf, type Distribution } from '../stats.js';

export interface BotBurstOptions {
  embedder: Embedder;
  seed: BenchCorpus;
  quick: boolean;
}

/** Shaped like a bot token (three base64url parts) so the bot's settings accept it; the emulator takes any. */
export const BENCH_TOKEN = 'MTI4NzY1NDMyMTA5ODc2NTQzMjE.GxQ9zB.benchmark-token-not-a-real-one-0123456';
const HEARTBEAT_MS = 1_000;
const ACK_DEADLINE_MS = 3_000;
/** Discord expects a heartbeat every interval; discord.js adds no slack, so a late one shows as a longer gap. */
const HEARTBEAT_SLACK = 1.25;
export const BURST = 50;
export const RATE_PER_SECOND = 10;
/** The reliability report's scenario: a thousand new documents re-indexed, one question every 400 ms. */
const REINDEX_DOCUMENTS = 1000;
const REINDEX_ASK_EVERY_MS = 400;

/** What the askers of one phase met: acknowledgements, answers, and the rate of answers. */
export interface AnswerFigures {
  interactions: number;
  acknowledged: number;
  acknowledgedInTime: number;
  answered: number;
  ackLatency: Distribution;
  answersPerSecond: number;
}

interface PhaseFigures extends AnswerFigures {
  phase: string;
  /** Heartbeat intervals overlapping the phase, and the longest of them. */
  heartbeats: number;
  maxHeartbeatGapMs: number;
  /** The heartbeat round trip as the bot measured it (its event loop must read the ack). */
  maxBotHeartbeatPingMs: number;
  reconnects: number;
  rejectedRequests: number;
  handlerErrors: number;
  /** The bot process's resident memory, sampled every 50 ms, and the index-building process's peak. */
  rssBeforeMb: number;
  rssPeakMb: number;
  builderRssPeakMb: number;
}

/** Counts handler failures; the bot logs one line per interaction and an error line when one fails. */
class CountingLogger implements Logger {
  errors = 0;
  log(level: string): void {
    if (level === 'error') this.errors += 1;
  }
}

/**
 * The real bot (discord.js client, commands, engine at seed scale, query cache off so every
 * question is searched) against the loopback Discord emulator: a burst of /ask at once, a
 * sustained rate, then questions during a large /reindex, with 1-second gateway heartbeats that
 * must keep flowing meanwhile. The engine builds as `npm start` does, in its index-building process.
 */
export async function botBurstSection({ embedder, seed, quick }: BotBurstOptions): Promise<SectionResult> {
  const emulator = await DiscordEmulator.start({ heartbeatIntervalMs: HEARTBEAT_MS, interactionAckDeadlineMs: ACK_DEADLINE_MS });
  // A private copy: the re-index phase adds documents to it.
  const root = await mkdtemp(path.join(tmpdir(), 'corpus-bot-bench-'));
  const corpusDir = path.join(root, 'corpus');
  await cp(seed.corpusDir, corpusDir, { recursive: true });
  const engine = await CorpusEngine.open(benchSettings(corpusDir, path.join(root, 'index')), { embedder, buildIn: 'process' });
  const env = { DISCORD_TOKEN: BENCH_TOKEN, DISCORD_CLIENT_ID: emulator.applicationId, DISCORD_API_BASE: emulator.apiUrl, RATE_LIMIT_QUESTIONS: '1000', INDEX_DIR: path.join(root, 'index') };
  const settings = readBotSettings(env);
  await deployCommands(settings);
  const logger = new CountingLogger();
  const bot = createBot(createBotContext(engine, settings, logger), commands);
  await bot.start();
  let asked = 0;
  const ask = () => {
    const question = seed.questions[asked % seed.questions.length]!;
    const user = emulator.createUser(`asker${asked}`);
    asked += 1;
    return emulator.sendSlashCommand({ name: 'ask', user, options: { question } });
  };
  const phases: PhaseFigures[] = [];
  try {
    for (let i = 0; i < 5; i += 1) await answered(emulator, ask());
    // discord.js sends its first heartbeat up to one interval after login: a burst that starts
    // before it would overlap no heartbeat gap at all and show nothing about them.
    await emulator.waitFor(() => (emulator.heartbeats().length >= 2 ? true : undefined), 3 * HEARTBEAT_MS, 'the first heartbeats');

    phases.push(
      await phase('burst', emulator, bot.client.ws, logger, async () => Array.from({ length: BURST }, ask)),
    );
    const seconds = quick ? 10 : 30;
    phases.push(
      await phase(`sustained ${RATE_PER_SECOND}/s for ${seconds} s`, emulator, bot.client.ws, logger, () => askSteadily(ask, seconds)),
    );
    phases.push(
      await phase(`during /reindex of ${REINDEX_DOCUMENTS} new documents`, emulator, bot.client.ws, logger, async () => {
        await writeGeneratedReports(corpusDir, REINDEX_DOCUMENTS);
        const reindex = emulator.sendSlashCommand({
          name: 'reindex',
          user: emulator.createUser('moderator'),
          memberPermissions: DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild,
        });
        let finished = false;
        void reindexVerdict(emulator, reindex).then((verdict) => {
          finished = true;
          process.stderr.write(`  bot: ${verdict.split('\n')[0]}\n`);
        });
        const sent: SentInteraction[] = [];
        while (!finished) {
          sent.push(ask());
          await delay(REINDEX_ASK_EVERY_MS);
        }
        return sent;
      }),
    );
  } finally {
    await bot.stop(5_000);
    await emulator.stop();
    await rm(root, { recursive: true, force: true });
  }

  const targets: Target[] = phases.map((figures) => ({
    what: `bot, ${figures.phase}: acknowledged in time, none lost, heartbeats on time`,
    goal: `all ${figures.interactions} ack'd ≤ 3 s and answered; heartbeat gaps ≤ ${HEARTBEAT_SLACK * HEARTBEAT_MS} ms; no reconnect`,
    measured:
      `${figures.acknowledgedInTime}/${figures.interactions} in time, ${figures.answered} answered, ack p99 ${ms(figures.ackLatency.p99)} ms, ` +
      `max heartbeat gap ${figures.maxHeartbeatGapMs} ms, ${figures.reconnects} reconnects`,
    met:
      figures.acknowledgedInTime === figures.interactions &&
      figures.answered === figures.interactions &&
      figures.maxHeartbeatGapMs <= HEARTBEAT_SLACK * HEARTBEAT_MS &&
      figures.reconnects === 0 &&
      figures.rejectedRequests === 0,
  }));
  return {
    key: 'bot',
    figures: { heartbeatIntervalMs: HEARTBEAT_MS, phases },
    targets,
    tables: [
      {
        title: 'Bot under load: /ask against the loopback Discord emulator, seed corpus',
        header: ['phase', 'asked', 'ack ≤ 3 s', 'answered', 'ack p50 ms', 'ack p99 ms', 'answers/s', 'heartbeats', 'max gap ms', 'bot ping max ms', 'reconnects', 'errors', 'bot RSS before → peak MB', 'builder RSS peak MB'],
        rows: phases.map((figures) => [
          figures.phase,
          ...answerCells(figures),
          String(figures.heartbeats),
          String(figures.maxHeartbeatGapMs),
          String(figures.maxBotHeartbeatPingMs),
          String(figures.reconnects),
          String(figures.rejectedRequests + figures.handlerErrors),
          `${figures.rssBeforeMb} → ${figures.rssPeakMb}`,
          String(figures.builderRssPeakMb),
        ]),
        note:
          `Each /ask comes from a different user (rate limit raised to 1000/min). Ack: the emulator's time from dispatching ` +
          `the interaction to the bot's first callback; answered: the final reply (not "thinking…") exists. Heartbeat interval ` +
          `${HEARTBEAT_MS} ms; heartbeats / max gap: intervals between heartbeats the emulator received that overlap the phase, and the longest; bot ping: ` +
          'the heartbeat round trip discord.js measured. answers/s: answers over the time from the first dispatch to the last answer. ' +
          `Re-index phase: ${REINDEX_DOCUMENTS} generated three-paragraph reports added, /reindex by a moderator, one /ask every ${REINDEX_ASK_EVERY_MS} ms until it reports; ` +
          'RSS sampled every 50 ms: the bot process, and the index-building child process it starts for the re-index.',
      },
    ],
  };
}

/** The final edit of a /reindex reply: "Re-index done…" or "Re-index failed…". */
function reindexVerdict(emulator: DiscordEmulator, sent: SentInteraction): Promise<string> {
  return emulator.waitFor(
    () =>
      emulator
        .requests({ method: 'PATCH', path: `/webhooks/${emulator.applicationId}/${sent.token}/messages/@original` })
        .map((request) => String((request.body as { content?: string }).content ?? ''))
        .find((content) => /^Re-index (done|failed)/.test(content)),
    600_000,
    'the /reindex verdict',
  );
}

/** Resolves with the time the interaction's final reply existed: the original response past "thinking…", or a follow-up. */
export function answered(emulator: DiscordEmulator, sent: SentInteraction, timeoutMs = 20_000): Promise<number> {
  return emulator.waitFor(
    () => {
      const original = emulator.interactionResponse(sent.token);
      const loading = ((original?.flags ?? 0) & MessageFlags.Loading) !== 0;
      return (original && !loading) || emulator.followUps(sent.token).length > 0 ? Date.now() : undefined;
    },
    timeoutMs,
    `the answer to interaction ${sent.id}`,
  );
}

/** Asks `RATE_PER_SECOND` questions a second for `seconds`, on a schedule (a slow answer does not delay the next question). */
export async function askSteadily(ask: () => SentInteraction, seconds: number): Promise<SentInteraction[]> {
  const sent: SentInteraction[] = [];
  const start = performance.now();
  for (let i = 0; i < RATE_PER_SECOND * seconds; i += 1) {
    await delay(Math.max(0, start + (i * 1000) / RATE_PER_SECOND - performance.now()));
    sent.push(ask());
  }
  return sent;
}

/** The cells `asked`, `ack ≤ 3 s`, `answered`, `ack p50 ms`, `ack p99 ms`, `answers/s` of a table row. */
export function answerCells(figures: AnswerFigures): string[] {
  return [
    String(figures.interactions),
    String(figures.acknowledgedInTime),
    String(figures.answered),
    ms(figures.ackLatency.p50),
    ms(figures.ackLatency.p99),
    figures.answersPerSecond.toFixed(1),
  ];
}

/**
 * Waits for every interaction's answer, then measures: ack latency is the emulator's time from
 * dispatching an interaction to the bot's first callback; answers/s counts answers over the time
 * from the first dispatch to the last answer.
 */
export async function answerFigures(emulator: DiscordEmulator, sent: SentInteraction[]): Promise<AnswerFigures> {
  const doneAt = await Promise.all(sent.map((interaction) => answered(emulator, interaction).catch(() => null)));
  const records = sent.map((interaction) => interaction.record());
  const latencies = records.flatMap((record) => (record.callback ? [record.callback.at - record.dispatchedAt] : []));
  const answeredTimes = doneAt.filter((at): at is number => at !== null);
  const firstDispatch = Math.min(...records.map((record) => record.dispatchedAt));
  return {
    interactions: sent.length,
    acknowledged: latencies.length,
    acknowledgedInTime: latencies.filter((latency) => latency <= ACK_DEADLINE_MS).length,
    answered: answeredTimes.length,
    ackLatency: distributionOf(latencies.length > 0 ? latencies : [Number.NaN]),
    answersPerSecond: answeredTimes.length === 0 ? 0 : answeredTimes.length / ((Math.max(...answeredTimes) - firstDispatch) / 1000),
  };
}

async function phase(
  name: string,
  emulator: DiscordEmulator,
  gateway: { ping: number },
  logger: CountingLogger,
  send: () => Promise<SentInteraction[]>,
): Promise<PhaseFigures> {
  process.stderr.write(`  bot: ${name}\n`);
  const errorsBefore = logger.errors;
  const requestsBefore = emulator.requestCount;
  const connectionsBefore = emulator.connections().length;
  const startedAt = Date.now();
  let maxPing = 0;
  const megabytes = () => Math.round(process.memoryUsage.rss() / 2 ** 20);
  const rssBeforeMb = megabytes();
  let rssPeakMb = rssBeforeMb;
  let builderRssPeakMb = 0;
  const pings = setInterval(() => {
    maxPing = Math.max(maxPing, gateway.ping);
    rssPeakMb = Math.max(rssPeakMb, megabytes());
    builderRssPeakMb = Math.max(builderRssPeakMb, Math.round(childrenRss() / 2 ** 20));
  }, 50);
  const answers = await answerFigures(emulator, await send());
  const endedAt = Date.now();
  // The heartbeat after the phase closes the last gap that overlaps it.
  await emulator.waitFor(() => emulator.heartbeats().find((beat) => beat.receivedAt > endedAt), 3 * HEARTBEAT_MS, 'a heartbeat');
  clearInterval(pings);

  // Every gap between heartbeats that overlaps the phase: from the last one before it to the first after.
  const all = emulator.heartbeats();
  const beats = all.slice(Math.max(0, all.findLastIndex((beat) => beat.receivedAt <= startedAt)), all.findIndex((beat) => beat.receivedAt > endedAt) + 1);
  const gaps = beats.slice(1).map((beat, i) => beat.receivedAt - beats[i]!.receivedAt);
  return {
    phase: name,
    ...answers,
    heartbeats: gaps.length,
    maxHeartbeatGapMs: Math.max(...gaps),
    maxBotHeartbeatPingMs: maxPing,
    reconnects: emulator.connections().length - connectionsBefore,
    rejectedRequests: emulator.requests().slice(requestsBefore).filter((request) => request.status >= 400).length,
    handlerErrors: logger.errors - errorsBefore,
    rssBeforeMb,
    rssPeakMb,
    builderRssPeakMb,
  };
}
