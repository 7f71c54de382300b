import { GatewayCloseCodes, GatewayDispatchEvents, GatewayOpcodes } from 'discord-api-types/v10';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guildIdOnShard, type DiscordEmulator } from './discord-emulator/emulator.js';
import { MODERATOR_PERMISSIONS } from './discord-emulator/payloads.js';
import { botEnv, logLinesIn, citedSources, FAKE_TOKEN, registerCommands, reindexVerdictEdit, startEmulator, stopBotSuite, TOKEN_SECRET_PART } from './helpers/bot-harness.js';
import type { Env } from '../src/config/env.js';
import { poll } from './helpers/poll.js';
import { createWorkspace, startScript, type ScriptProcess, type Workspace } from './helpers/workspace.js';

const GUILD_ON_0 = guildIdOnShard(0, 2);
const GUILD_ON_1 = guildIdOnShard(1, 2);

describe('the emulated gateway with shards', () => {
  let emulator: DiscordEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ guilds: [{ name: 'Zero', id: GUILD_ON_0 }, { name: 'One', id: GUILD_ON_1 }], recommendedShards: 2 });
  });
  afterAll(() => emulator.stop());

  /** A bare gateway client: what Discord says to an IDENTIFY with `shard`, until it closes or `until` is seen. */
  function identifyAs(shard: unknown): { socket: WebSocket; events: Array<{ t: string; d: unknown }>; closed: Promise<number> } {
    const socket = new WebSocket(`${emulator.gatewayUrl}/?v=10&encoding=json`);
    const events: Array<{ t: string; d: unknown }> = [];
    socket.on('message', (data) => {
      const payload = JSON.parse(data.toString()) as { op: number; t: string; d: unknown };
      if (payload.op === GatewayOpcodes.Hello) socket.send(JSON.stringify({ op: GatewayOpcodes.Identify, d: { token: FAKE_TOKEN, intents: 1, properties: {}, shard } }));
      if (payload.op === GatewayOpcodes.Dispatch) events.push({ t: payload.t, d: payload.d });
    });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    return { socket, events, closed };
  }

  it.each([[[2, 2]], [[-1, 2]], [[0, 0]], [['0', 2]], [[0]]])('closes an IDENTIFY with shard %j with 4010 Invalid shard', async (shard) => {
    expect(await identifyAs(shard).closed).toBe(GatewayCloseCodes.InvalidShard);
  });

  it("gives each shard READY and GUILD_CREATE for its own guilds only, and routes a guild's interactions to its shard, DMs to shard 0", async () => {
    const zero = identifyAs([0, 2]);
    const one = identifyAs([1, 2]);
    try {
      await emulator.waitFor(() => (emulator.shardSessions.length === 2 ? true : undefined), 5_000, 'both shards to identify');
      const guildsIn = (client: typeof zero) => client.events.filter((event) => event.t === GatewayDispatchEvents.GuildCreate).map((event) => (event.d as { id: string }).id);
      await poll(() => (guildsIn(zero).length + guildsIn(one).length === 2 ? true : undefined), 5_000, 'the guilds');
      expect(guildsIn(zero)).toEqual([GUILD_ON_0]);
      expect(guildsIn(one)).toEqual([GUILD_ON_1]);
      expect((one.events[0]!.d as { shard: unknown; guilds: Array<{ id: string }> })).toMatchObject({ shard: [1, 2], guilds: [{ id: GUILD_ON_1 }] });

      const interactionsIn = (client: typeof zero) => client.events.filter((event) => event.t === GatewayDispatchEvents.InteractionCreate).map((event) => event.d as { guild_id?: string });
      emulator.sendSlashCommand({ name: 'ask', guildId: GUILD_ON_1, options: { question: 'one' } });
      emulator.sendSlashCommand({ name: 'ask', dm: true, options: { question: 'dm' } });
      await poll(() => (interactionsIn(zero).length + interactionsIn(one).length === 2 ? true : undefined), 5_000, 'the interactions');
      expect(interactionsIn(one).map((interaction) => interaction.guild_id)).toEqual([GUILD_ON_1]);
      expect(interactionsIn(zero).map((interaction) => interaction.guild_id)).toEqual([undefined]);
      expect(emulator.sessionFor(GUILD_ON_1)?.shard).toEqual([1, 2]);
    } finally {
      zero.socket.close(1000);
      one.socket.close(1000);
      await Promise.all([zero.closed, one.closed]);
    }
  });
});

/** `npm run start:sharded` as an operator runs it: the manager, and a process per shard under it. */
type ManagerProcess = ScriptProcess;

const logLines = (manager: ManagerProcess) => logLinesIn(manager.stdout());

const startManager = (workspace: Workspace, env: Env): ManagerProcess => startScript(workspace, 'src/discord/start-sharded.ts', env);

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run start:sharded', () => {
  let emulator: DiscordEmulator;
  let workspace: Workspace;
  let manager: ManagerProcess;

  beforeAll(async () => {
    emulator = await startEmulator({ guilds: [{ name: 'Zero', id: GUILD_ON_0 }, { name: 'One', id: GUILD_ON_1 }], recommendedShards: 2 });
    workspace = await createWorkspace();
    await registerCommands(emulator);
    manager = startManager(workspace, botEnv(emulator, { BOT_SHARDS: 'auto', INDEX_POLL_SECONDS: '0.5' }));
  }, 60_000);

  afterAll(async () => {
    manager.child.kill('SIGKILL');
    await stopBotSuite({ emulator, workspace });
  });

  const ask = (guildId: string, question: string) =>
    emulator.sendSlashCommand({ name: 'ask', guildId, user: emulator.createUser('asker'), options: { question } }).waitForResponse(undefined, 60_000);
  const shardOfInteraction = (interactionId: string) => {
    const dispatch = emulator.dispatches().find((record) => record.t === GatewayDispatchEvents.InteractionCreate && (record.d as { id: string }).id === interactionId);
    return emulator.shardSessions.find((session) => session.id === dispatch?.sessionId)?.shard[0] ?? null;
  };

  it('builds the index once, runs the shards Discord recommends, and answers in guilds of both shards', async () => {
    await emulator.waitFor(() => (emulator.shardSessions.filter((session) => session.connected).length === 2 ? true : undefined), 90_000, 'both shards to identify');
    expect(emulator.shardSessions.map((session) => session.shard)).toEqual([[0, 2], [1, 2]]);
    for (const guildId of [GUILD_ON_0, GUILD_ON_1]) {
      const sent = emulator.sendSlashCommand({ name: 'ask', guildId, user: emulator.createUser('asker'), options: { question: 'What did the Secret Service foil in July?' } });
      const reply = await sent.waitForResponse(undefined, 60_000);
      expect(citedSources(reply)).toContain('000_a3e3ba9c672df76e.txt');
      expect(shardOfInteraction(sent.id)).toBe(guildId === GUILD_ON_0 ? 0 : 1);
    }
    await poll(() => (logLines(manager).filter((line) => line.event === 'interaction').length === 2 ? true : undefined), 10_000, 'both answers logged');
    const lines = logLines(manager);
    // One build, in the manager; each shard only loaded what it left.
    expect(lines.filter((line) => line.event === 'index_built')).toEqual([expect.objectContaining({ shard: 'manager' })]);
    expect(lines.filter((line) => line.event === 'engine_ready').map((line) => line.shard).sort()).toEqual([0, 1]);
    expect(lines.filter((line) => line.event === 'interaction').map((line) => line.shard).sort()).toEqual([0, 1]);
  }, 150_000);

  it('a /reindex in one shard builds once, and the other shard answers from the new version', async () => {
    await workspace.write('lighthouse.txt', 'Harbour notes\n\nThe Ardmore lighthouse keeper logs every passing whaler in a green ledger.\n');
    const sent = emulator.sendSlashCommand({ name: 'reindex', guildId: GUILD_ON_0, user: emulator.createUser('mod'), memberPermissions: MODERATOR_PERMISSIONS });
    const verdict = await reindexVerdictEdit(emulator, sent, 120_000);
    expect(String((verdict.body as { content?: string }).content)).toMatch(/^Re-index done\.[\s\S]*Documents: 1 new/);
    expect(shardOfInteraction(sent.id)).toBe(0);
    const reindexed = await poll(() => logLines(manager).find((line) => line.event === 'interaction' && line.command === 'reindex'), 10_000, 'the /reindex logged');
    expect(reindexed).toMatchObject({ shard: 0, outcome: 'reindexed' });

    // Shard 1 did not build: it serves the version shard 0 committed once it sees CURRENT change.
    await poll(() => logLines(manager).find((line) => line.event === 'index_followed' && line.shard === 1), 30_000, 'shard 1 to follow');
    const reply = await ask(GUILD_ON_1, 'What does the Ardmore lighthouse keeper write passing whalers in?');
    expect(citedSources(reply)).toContain('lighthouse.txt');
    expect(logLines(manager).filter((line) => line.event === 'index_followed' && line.shard === 0)).toEqual([]);
  }, 180_000);

  it('respawns a shard whose process is killed, and it comes back serving its guilds', async () => {
    const ready = logLines(manager).filter((line) => line.event === 'ready' && line.shard === 1).at(-1)!;
    const identifiesBefore = emulator.gatewayPayloads(GatewayOpcodes.Identify).length;
    process.kill(ready.pid as number, 'SIGKILL');
    await poll(() => logLines(manager).find((line) => line.event === 'shard_exited' && line.id === 1), 30_000, 'the manager to see shard 1 die');
    await emulator.waitFor(
      () =>
        emulator.gatewayPayloads(GatewayOpcodes.Identify).slice(identifiesBefore).find((payload) => JSON.stringify((payload.d as { shard?: unknown }).shard) === '[1,2]'),
      90_000,
      'shard 1 to identify again',
    );
    await emulator.waitFor(() => (emulator.sessionFor(GUILD_ON_1)?.connected ? true : undefined), 30_000, 'shard 1 to be connected');
    const reply = await ask(GUILD_ON_1, 'What does the Ardmore lighthouse keeper write passing whalers in?');
    expect(citedSources(reply)).toContain('lighthouse.txt');
    expect(logLines(manager).filter((line) => line.event === 'ready' && line.shard === 1).at(-1)!.pid).not.toBe(ready.pid);
  }, 150_000);

  it('on SIGTERM stops every shard cleanly and exits', async () => {
    manager.child.kill('SIGTERM');
    expect(await manager.exited).toBe(0);
    const events = logLines(manager);
    expect(events.filter((line) => line.event === 'stopped').map((line) => line.shard).sort()).toEqual([0, 1, 'manager']);
    expect(emulator.shardSessions).toEqual([]);
    expect(emulator.unexpectedRequests()).toEqual([]);
    expect(manager.stdout() + manager.stderr()).not.toContain(TOKEN_SECRET_PART);
  }, 60_000);
});

describe('npm run start:sharded when the manager dies', () => {
  let emulator: DiscordEmulator;
  let workspace: Workspace;
  let manager: ManagerProcess;

  beforeAll(async () => {
    emulator = await startEmulator({ guilds: [{ name: 'Zero', id: GUILD_ON_0 }, { name: 'One', id: GUILD_ON_1 }] });
    workspace = await createWorkspace();
    await registerCommands(emulator);
    manager = startManager(workspace, botEnv(emulator, { BOT_SHARDS: '2' }));
  });

  afterAll(async () => {
    for (const line of logLinesIn(manager.stdout())) if (line.event === 'ready' && isRunning(line.pid as number)) process.kill(line.pid as number, 'SIGKILL');
    await stopBotSuite({ emulator, workspace });
  });

  it('stops its shards, so none is left connected to answer twice beside a new manager', async () => {
    await emulator.waitFor(() => (emulator.shardSessions.filter((session) => session.connected).length === 2 ? true : undefined), 90_000, 'both shards to identify');
    const pids = await poll(() => {
      const ready = logLinesIn(manager.stdout()).filter((line) => line.event === 'ready').map((line) => line.pid as number);
      return ready.length === 2 ? ready : undefined;
    }, 10_000, 'both shards ready');
    // The manager process itself, not the tsx launcher in front of it (which cannot pass SIGKILL on).
    const managerPid = logLinesIn(manager.stdout()).find((line) => line.event === 'sharding')!.pid as number;
    process.kill(managerPid, 'SIGKILL');
    await poll(() => (pids.every((pid) => !isRunning(pid)) ? true : undefined), 30_000, 'the shard processes to exit');
    expect(emulator.shardSessions).toEqual([]);
    expect(logLinesIn(manager.stdout()).filter((line) => line.event === 'shutting_down').map((line) => [line.shard, line.signal]).sort()).toEqual([
      [0, 'manager_gone'],
      [1, 'manager_gone'],
    ]);
  }, 150_000);
});
