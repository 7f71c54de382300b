import { setTimeout as delay } from 'node:timers/promises';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusEngine } from '../src/engine/corpus-engine.js';
import type { DiscordEmulator } from './discord-emulator/emulator.js';
import { DEFAULT_MEMBER_PERMISSIONS } from './discord-emulator/payloads.js';
import {
  editsOfOriginal,
  GatedEmbedder,
  LogCollector,
  openEngine,
  registerCommands,
  startBot,
  startEmulator,
  stopBotSuite,
  type RunningBot,
} from './helpers/bot-harness.js';
import { createWorkspace, testEmbedder, type Workspace } from './helpers/workspace.js';

/*
 * Discord lets an interaction token edit its reply for 15 minutes. The emulator here expires
 * tokens after 2 s, and the re-index is held past that, as a long one would run past 15 min.
 */
const TOKEN_LIFETIME_MS = 2_000;

let emulator: DiscordEmulator;
let workspace: Workspace;
let gated: GatedEmbedder;
let engine: CorpusEngine;
let running: RunningBot;
const logs = new LogCollector();

beforeAll(async () => {
  emulator = await startEmulator({ interactionTokenLifetimeMs: TOKEN_LIFETIME_MS });
  workspace = await createWorkspace();
  gated = new GatedEmbedder(await testEmbedder());
  engine = await openEngine(workspace, { embedder: gated });
  await registerCommands(emulator);
  running = await startBot(emulator, engine, logs);
});

afterAll(async () => {
  gated?.open();
  await stopBotSuite({ running, emulator, workspace });
});

const bodyOf = (request: { body: unknown }) => request.body as { content?: string; recipient_id?: string };

describe('a /reindex that outlives its interaction token', () => {
  it('the emulator refuses edits with an expired token, as Discord does (401, code 50027)', async () => {
    const sent = emulator.sendSlashCommand({ name: 'help' });
    await sent.waitForResponse();
    await delay(TOKEN_LIFETIME_MS + 200);
    const response = await fetch(`${emulator.apiUrl}/v10/webhooks/${emulator.applicationId}/${sent.token}/messages/@original`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'too late' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 50027, message: 'Invalid Webhook Token' });
  });

  it('reports its result to the moderator in a direct message', async () => {
    await workspace.write('late.txt', 'Late report\n\nThe Harrowgate weather station logged its first snowfall on 3 November.\n');
    const moderator = emulator.createUser('patient-mod');
    gated.close();
    const sent = emulator.sendSlashCommand({
      name: 'reindex',
      user: moderator,
      memberPermissions: DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild,
    });
    await sent.waitForCallback();
    await gated.held();
    await delay(TOKEN_LIFETIME_MS + 300);
    gated.open();

    const dm = await emulator.waitFor(
      () => emulator.requests({ method: 'POST', path: /^\/channels\/\d+\/messages$/ }).find((request) => /outlived its reply/.test(bodyOf(request).content ?? '')),
      15_000,
      'the /reindex result in a DM',
    );
    expect(bodyOf(dm).content).toMatch(/^Your \/reindex in <#\d+> outlived its reply, so here is its result\.\nRe-index done\.\nIndex \S+ ready: 6 documents/);
    const opened = emulator.requests({ method: 'POST', path: '/users/@me/channels' }).map(bodyOf);
    expect(opened.some((body) => body.recipient_id === moderator.id)).toBe(true);
    // The edit was tried, refused as expired, and not retried forever.
    const refused = editsOfOriginal(emulator, sent).filter((request) => request.status === 401);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(await logs.waitFor({ event: 'reindex_reported', user: moderator.id })).toMatchObject({ via: 'dm' });
    expect(await logs.waitFor({ event: 'interaction', user: moderator.id })).toMatchObject({ command: 'reindex', outcome: 'reindexed' });
  });
});
