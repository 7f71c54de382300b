import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guildIdOnShard, type DiscordEmulator } from './discord-emulator/emulator.js';
import { MODERATOR_PERMISSIONS } from './discord-emulator/payloads.js';
import { botEnv, citedSources, logLinesIn, registerCommands, reindexVerdictEdit, startEmulator, stopBotSuite } from './helpers/bot-harness.js';
import { startPostgres, type PostgresServer } from './helpers/postgres-server.js';
import { poll } from './helpers/poll.js';
import { createWorkspace, startScript, type ScriptProcess, type Workspace } from './helpers/workspace.js';

const GUILD_ON_0 = guildIdOnShard(0, 2);
const GUILD_ON_1 = guildIdOnShard(1, 2);
const LIGHTHOUSE = 'Harbour notes\n\nThe Ardmore lighthouse keeper logs every passing whaler in a green ledger.\n';
const QUESTION = 'What does the Ardmore lighthouse keeper write passing whalers in?';

/**
 * Two machines, each running one shard of the bot with `npm start` (SHARDS / SHARD_COUNT, as an
 * operator runs shards on separate hosts), each with its own corpus folder, index folder and bot
 * database, and one PostgreSQL index between them.
 */
describe('two bot machines on one PostgreSQL index', () => {
  let emulator: DiscordEmulator;
  let database: PostgresServer;
  const machines: Array<{ workspace: Workspace; bot: ScriptProcess }> = [];

  const startMachine = async (shard: number) => {
    const workspace = await createWorkspace();
    const env = botEnv(emulator, {
      INDEX_BACKEND: 'postgres',
      DATABASE_URL: database.url,
      BOT_DATABASE: path.join(workspace.root, 'bot.sqlite'),
      SHARDS: String(shard),
      SHARD_COUNT: '2',
      INDEX_POLL_SECONDS: '0.5',
    });
    const machine = { workspace, bot: startScript(workspace, 'src/discord/start.ts', env) };
    machines.push(machine);
    await emulator.waitFor(() => (emulator.shardSessions.some((session) => session.shard[0] === shard && session.connected) ? true : undefined), 120_000, `shard ${shard}`);
    return machine;
  };
  const logs = (machine: { bot: ScriptProcess }) => logLinesIn(machine.bot.stdout());
  const ask = (guildId: string, question: string) =>
    emulator.sendSlashCommand({ name: 'ask', guildId, user: emulator.createUser('asker'), options: { question } }).waitForResponse(undefined, 60_000);

  beforeAll(async () => {
    database = await startPostgres();
    emulator = await startEmulator({ guilds: [{ name: 'Zero', id: GUILD_ON_0 }, { name: 'One', id: GUILD_ON_1 }] });
    await registerCommands(emulator);
  }, 60_000);

  afterAll(async () => {
    for (const { bot } of machines) bot.child.kill('SIGKILL');
    await Promise.all(machines.map(({ bot }) => bot.exited));
    await stopBotSuite({ emulator });
    await Promise.all(machines.map(({ workspace }) => workspace.cleanup()));
    await database.stop();
  });

  it('the first machine builds and publishes; the second serves that version without building', async () => {
    const first = await startMachine(0);
    expect(logs(first).find((line) => line.event === 'engine_ready')).toMatchObject({ backend: 'postgres' });
    expect(logs(first).filter((line) => line.event === 'index_built')).toHaveLength(1);
    const second = await startMachine(1);
    expect(logs(second).filter((line) => line.event === 'index_built')).toEqual([]);
    expect(logs(second).find((line) => line.event === 'engine_ready')?.indexVersion).toBe(logs(first).find((line) => line.event === 'engine_ready')?.indexVersion);
    for (const guildId of [GUILD_ON_0, GUILD_ON_1]) expect(citedSources(await ask(guildId, 'What did the Secret Service foil in July?'))).toContain('000_a3e3ba9c672df76e.txt');
  }, 300_000);

  it('a /reindex on the first machine is answered from on the second, whose own corpus folder never had the document', async () => {
    const [first, second] = machines;
    await first!.workspace.write('lighthouse.txt', LIGHTHOUSE);
    const sent = emulator.sendSlashCommand({ name: 'reindex', guildId: GUILD_ON_0, user: emulator.createUser('mod'), memberPermissions: MODERATOR_PERMISSIONS });
    const verdict = await reindexVerdictEdit(emulator, sent, 120_000);
    expect(String((verdict.body as { content?: string }).content)).toMatch(/^Re-index done\.[\s\S]*Documents: 1 new/);
    await poll(() => logs(second!).find((line) => line.event === 'index_followed'), 30_000, 'the second machine to follow');
    expect(citedSources(await ask(GUILD_ON_1, QUESTION))).toContain('lighthouse.txt');
    expect(logs(second!).filter((line) => line.event === 'index_follow_failed')).toEqual([]);
  }, 240_000);
});
