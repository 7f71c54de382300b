import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayOpcodes } from 'discord-api-types/v10';
import type { GatewayGuildCreateDispatchData, GatewayReadyDispatchData } from 'discord-api-types/v10';
import { WebSocket } from 'ws';
import type { WebSocketServer } from 'ws';
import { EventLog } from './signal.js';
import type { Signal } from './signal.js';

/** A payload the client sent over the gateway. */
export interface ReceivedPayload {
  connectionId: number;
  op: number;
  d: unknown;
  at: number;
}

export interface HeartbeatRecord {
  connectionId: number;
  /** The sequence number the client reported (`d` of op 1). */
  sequence: number | null;
  receivedAt: number;
  ackedAt: number;
}

export interface ConnectionRecord {
  id: number;
  /** The connect URL's query, e.g. `{ v: '10', encoding: 'json' }`. */
  query: Record<string, string>;
  openedAt: number;
  closedAt: number | null;
  closeCode: number | null;
  closedBy: 'client' | 'server' | null;
}

export interface DispatchRecord {
  sessionId: string;
  s: number;
  t: string;
  d: unknown;
  at: number;
  /** False when the socket was gone or closing; the client gets the event when it resumes. */
  sentLive: boolean;
}

/** `[shard_id, num_shards]`, as a client identifies with it. */
export type ShardPair = [number, number];

/** The shard a guild's events go to: `(guild_id >> 22) % num_shards`, as Discord routes them. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export interface GatewayConfig {
  heartbeatIntervalMs: number;
  /** READY for a shard: the guilds on it only, as unavailable stubs. */
  ready(sessionId: string, shard: ShardPair): GatewayReadyDispatchData;
  /** The GUILD_CREATEs a shard gets after READY: its own guilds only. */
  guildCreates(shard: ShardPair): GatewayGuildCreateDispatchData[];
  /** Intents the application may not ask for (privileged ones not switched on): identifying with one closes with 4014. */
  disallowedIntents: number;
}

interface DispatchPayload {
  op: GatewayOpcodes.Dispatch;
  t: string;
  s: number;
  d: unknown;
}

interface Session {
  id: string;
  token: string;
  intents: number;
  shard: ShardPair;
  seq: number;
  /** Everything dispatched in this session, for replay on RESUME. */
  log: DispatchPayload[];
  connection: Connection | null;
}

interface Connection {
  socket: WebSocket;
  session: Session | null;
  record: ConnectionRecord;
}

export interface SessionView {
  id: string;
  intents: number;
  connected: boolean;
  shard: ShardPair;
}

function viewOf(session: Session): SessionView {
  return { id: session.id, intents: session.intents, connected: session.connection !== null, shard: session.shard };
}

/** `[shard_id, num_shards]` with 0 ≤ shard_id < num_shards, else null (Discord closes with 4010). */
function validShard(value: unknown): ShardPair | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [id, count] = value as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return null;
  return (id as number) >= 0 && (count as number) >= 1 && (id as number) < (count as number) ? [id as number, count as number] : null;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Discord's gateway v10 protocol over `ws`, JSON encoding, no compression. */
export class GatewayServer {
  readonly received: EventLog<ReceivedPayload>;
  readonly heartbeats: EventLog<HeartbeatRecord>;
  readonly connections: EventLog<ConnectionRecord>;
  readonly dispatches: EventLog<DispatchRecord>;
  readonly #sessions = new Map<string, Session>();
  readonly #live = new Set<Connection>();
  #current: Session | null = null;
  /** The session each shard's events go to: the one that last identified or resumed as that shard. */
  readonly #byShard = new Map<number, Session>();

  constructor(
    wss: WebSocketServer,
    private readonly config: GatewayConfig,
    private readonly signal: Signal,
  ) {
    this.received = new EventLog(signal, (p) => `#${p.connectionId} op ${p.op}`);
    this.heartbeats = new EventLog(signal, (h) => `#${h.connectionId} heartbeat seq ${String(h.sequence)}`);
    this.connections = new EventLog(signal, (c) => `#${c.id} closed ${String(c.closeCode)} by ${String(c.closedBy)}`);
    this.dispatches = new EventLog(signal, (d) => `${d.t} s=${d.s}${d.sentLive ? '' : ' (queued)'}`);
    wss.on('connection', (socket, request) => this.#accept(socket, request));
  }

  /** The session most recently identified or resumed (with one shard, the one dispatches go to). */
  get currentSession(): SessionView | null {
    return this.#current ? viewOf(this.#current) : null;
  }

  /** Each shard's session, by shard id. */
  get shardSessions(): SessionView[] {
    return [...this.#byShard.values()].map(viewOf).sort((x, y) => x.shard[0] - y.shard[0]);
  }

  /** The session that gets a guild's events (or, with null, DMs': shard 0), if that shard has one. */
  sessionFor(guildId: string | null): SessionView | null {
    const session = this.#sessionFor(guildId);
    return session ? viewOf(session) : null;
  }

  /**
   * Sends an event to the session of the shard it belongs to (`shardOf` its guild; DMs to shard
   * 0). Returns false if that shard has no session or its intents exclude the event, as Discord
   * would silently not deliver it.
   */
  dispatch(event: string, data: unknown, requiredIntent = 0, guildId: string | null = null): boolean {
    if (this.#byShard.size === 0) throw new Error(`Cannot dispatch ${event}: no gateway session (has the client logged in?)`);
    const session = this.#sessionFor(guildId);
    if (!session || (session.intents & requiredIntent) !== requiredIntent) return false;
    this.#dispatchTo(session, event, data);
    return true;
  }

  #sessionFor(guildId: string | null): Session | null {
    const any = this.#byShard.values().next().value;
    if (any === undefined) return null;
    return this.#byShard.get(guildId === null ? 0 : shardOf(guildId, any.shard[1])) ?? null;
  }

  /** Drops the current socket; codes 4000-4009 (except 4004) let discord.js resume. 1006 drops without a close frame. */
  closeConnection(code: number, shard?: number): void {
    const connection = (shard === undefined ? this.#current : this.#byShard.get(shard))?.connection;
    if (!connection) throw new Error('No connected gateway session to close');
    connection.record.closedBy = 'server';
    if (code === 1006) connection.socket.terminate();
    else connection.socket.close(code, 'Closed by the Discord emulator');
  }

  /** Op 7: Discord asks the client to reconnect and resume, as it does during rolling restarts. */
  requestReconnect(): void {
    const connection = this.#current?.connection;
    if (!connection) throw new Error('No connected gateway session to ask for a reconnect');
    this.#send(connection, { op: GatewayOpcodes.Reconnect, d: null });
  }

  close(): void {
    for (const connection of this.#live) connection.socket.terminate();
  }

  #accept(socket: WebSocket, request: IncomingMessage): void {
    const query = Object.fromEntries(new URL(request.url ?? '/', 'ws://emulator').searchParams);
    const record: ConnectionRecord = {
      id: this.connections.length + 1,
      query,
      openedAt: Date.now(),
      closedAt: null,
      closeCode: null,
      closedBy: null,
    };
    const connection: Connection = { socket, session: null, record };
    this.#live.add(connection);
    this.connections.push(record);
    socket.on('message', (data, isBinary) => this.#onMessage(connection, data.toString(), isBinary));
    socket.on('close', (code) => this.#onClose(connection, code));
    socket.on('error', () => socket.terminate());

    if (query.v !== '10') {
      this.#reject(connection, GatewayCloseCodes.InvalidAPIVersion, `Emulated API version is 10, got ${String(query.v)}`);
      return;
    }
    // zlib-sync is not installed, so discord.js never asks for transport compression.
    if (query.encoding !== 'json' || query.compress !== undefined) {
      this.#reject(connection, GatewayCloseCodes.DecodeError, 'The emulator speaks uncompressed JSON only');
      return;
    }
    this.#send(connection, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.config.heartbeatIntervalMs } });
  }

  #reject(connection: Connection, code: number, reason: string): void {
    connection.record.closedBy = 'server';
    connection.socket.close(code, reason);
  }

  #send(connection: Connection, payload: object): boolean {
    if (connection.socket.readyState !== WebSocket.OPEN) return false;
    connection.socket.send(JSON.stringify({ s: null, t: null, ...payload }));
    return true;
  }

  #dispatchTo(session: Session, event: string, data: unknown): void {
    session.seq += 1;
    const payload: DispatchPayload = { op: GatewayOpcodes.Dispatch, t: event, s: session.seq, d: data };
    session.log.push(payload);
    const sentLive = session.connection !== null && this.#send(session.connection, payload);
    this.dispatches.push({ sessionId: session.id, s: payload.s, t: event, d: data, at: Date.now(), sentLive });
  }

  #onMessage(connection: Connection, text: string, isBinary: boolean): void {
    let payload: Record<string, unknown>;
    try {
      if (isBinary) throw new Error('binary frame');
      payload = asRecord(JSON.parse(text));
    } catch {
      this.#reject(connection, GatewayCloseCodes.DecodeError, 'Payloads must be JSON text');
      return;
    }
    const op = typeof payload.op === 'number' ? payload.op : -1;
    this.received.push({ connectionId: connection.record.id, op, d: payload.d, at: Date.now() });
    switch (op) {
      case GatewayOpcodes.Heartbeat: {
        const receivedAt = Date.now();
        this.#send(connection, { op: GatewayOpcodes.HeartbeatAck });
        const sequence = typeof payload.d === 'number' ? payload.d : null;
        this.heartbeats.push({ connectionId: connection.record.id, sequence, receivedAt, ackedAt: Date.now() });
        return;
      }
      case GatewayOpcodes.Identify:
        this.#identify(connection, asRecord(payload.d));
        return;
      case GatewayOpcodes.Resume:
        this.#resume(connection, asRecord(payload.d));
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
        // Accepted and recorded only; nothing in the emulated world reacts to them.
        if (!connection.session) this.#reject(connection, GatewayCloseCodes.NotAuthenticated, 'Not authenticated');
        return;
      default:
        this.#reject(connection, GatewayCloseCodes.UnknownOpcode, `Unknown opcode ${op}`);
    }
  }

  #identify(connection: Connection, data: Record<string, unknown>): void {
    if (connection.session) {
      this.#reject(connection, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated');
      return;
    }
    if (typeof data.token !== 'string' || data.token === '') {
      this.#reject(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed');
      return;
    }
    const intents = typeof data.intents === 'number' ? data.intents : 0;
    if ((intents & this.config.disallowedIntents) !== 0) {
      this.#reject(connection, GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
      return;
    }
    const shard = data.shard === undefined ? ([0, 1] as ShardPair) : validShard(data.shard);
    if (shard === null) {
      this.#reject(connection, GatewayCloseCodes.InvalidShard, 'Invalid shard.');
      return;
    }
    const shardCount = this.#byShard.values().next().value?.shard[1];
    if (shardCount !== undefined && shardCount !== shard[1] && [...this.#byShard.values()].some((other) => other.connection !== null && other.shard[0] !== shard[0])) {
      // Discord does not document live shards of two counts (a guild would belong to two of them);
      // the emulator refuses the second count so that a bot which mixes them fails loudly.
      this.#reject(connection, GatewayCloseCodes.InvalidShard, `Invalid shard: other shards are connected as ${shardCount} shards.`);
      return;
    }
    if (shardCount !== undefined && shardCount !== shard[1]) this.#byShard.clear();
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      token: data.token,
      intents,
      shard,
      seq: 0,
      log: [],
      connection,
    };
    this.#sessions.set(session.id, session);
    connection.session = session;
    this.#current = session;
    this.#byShard.set(shard[0], session);
    this.#dispatchTo(session, GatewayDispatchEvents.Ready, this.config.ready(session.id, shard));
    for (const guild of this.config.guildCreates(shard)) this.#dispatchTo(session, GatewayDispatchEvents.GuildCreate, guild);
  }

  #resume(connection: Connection, data: Record<string, unknown>): void {
    const session = typeof data.session_id === 'string' ? this.#sessions.get(data.session_id) : undefined;
    const seq = typeof data.seq === 'number' ? data.seq : -1;
    if (!session || session.token !== data.token || seq > session.seq) {
      // d: false tells the client the session cannot be resumed and it must identify afresh.
      this.#send(connection, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    if (session.connection && session.connection !== connection) session.connection.socket.terminate();
    session.connection = connection;
    connection.session = session;
    this.#current = session;
    this.#byShard.set(session.shard[0], session);
    for (const missed of session.log) {
      if (missed.s > seq) this.#send(connection, missed);
    }
    this.#dispatchTo(session, GatewayDispatchEvents.Resumed, null);
  }

  #onClose(connection: Connection, code: number): void {
    this.#live.delete(connection);
    connection.record.closedAt = Date.now();
    connection.record.closeCode = code;
    connection.record.closedBy ??= 'client';
    const session = connection.session;
    if (session?.connection === connection) session.connection = null;
    // A client closing with 1000/1001 ends its session for good (it logs out), as on Discord.
    if (session && connection.record.closedBy === 'client' && (code === 1000 || code === 1001)) {
      this.#sessions.delete(session.id);
      if (this.#current === session) this.#current = null;
      if (this.#byShard.get(session.shard[0]) === session) this.#byShard.delete(session.shard[0]);
    }
    this.signal.notify();
  }
}
