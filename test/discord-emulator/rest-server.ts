import type { IncomingMessage, ServerResponse } from 'node:http';
import { DiscordApiError, apiErrors } from './api-error.js';
import { parseBody } from './http-body.js';
import type { UploadedFile } from './http-body.js';
import { matchRoute } from './rest-routes.js';
import type { Route } from './rest-routes.js';
import { EventLog } from './signal.js';
import type { Signal } from './signal.js';

/** @discordjs/rest joins its `api` option and `/v10`, so every call arrives under this prefix. */
const API_PREFIX = '/api/v10';

export interface IncomingRequest {
  method: string;
  /** Below /api/v10, percent-decoded: discord.js sends `@original` as `%40original`. */
  path: string;
  /** The request target as received, prefix and encoding included. */
  rawPath: string;
  query: Record<string, string>;
  /** Parsed JSON, or `payload_json` of a multipart upload. */
  body: unknown;
  files: UploadedFile[];
  /** The Authorization header as sent, e.g. `Bot <token>`, or null. */
  authorization: string | null;
  /** When the request arrived (ms since epoch). */
  at: number;
}

export interface RecordedRequest extends IncomingRequest {
  index: number;
  status: number;
  response: unknown;
  /** The matched route pattern, e.g. `POST /channels/:channelId/messages`. */
  route: string | null;
  /** Answered by `failNextRequest` instead of the route. */
  injectedFault: boolean;
  /** Why the call is one no test should cause: an unknown route or an emulator crash. */
  unexpected: string | null;
}

export interface FaultOptions {
  /** 429 by default; 5xx make @discordjs/rest retry too, other codes surface as errors. */
  status?: number;
  /** Seconds until the retry is allowed (429 only). */
  retryAfter?: number;
  /** Mark the 429 as the global limit rather than the route's bucket. */
  global?: boolean;
  /** Discord's JSON error code for other statuses, e.g. 50013 Missing Permissions (default 0). */
  code?: number;
}

interface PendingFault {
  predicate: (request: IncomingRequest) => boolean;
  status: number;
  retryAfter: number;
  global: boolean;
  code: number;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Outcome {
  reply: Reply;
  route: string | null;
  injectedFault: boolean;
  unexpected: string | null;
}

function rateLimitReply(fault: PendingFault, path: string): Reply {
  const resetAt = (Date.now() / 1000 + fault.retryAfter).toFixed(3);
  const headers: Record<string, string> = {
    'retry-after': String(fault.retryAfter),
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': resetAt,
    'x-ratelimit-reset-after': String(fault.retryAfter),
    'x-ratelimit-bucket': Buffer.from(path.split('/').slice(0, 3).join('/')).toString('hex').slice(0, 32),
    'x-ratelimit-scope': fault.global ? 'global' : 'user',
  };
  if (fault.global) headers['x-ratelimit-global'] = 'true';
  return {
    status: 429,
    headers,
    body: { message: 'You are being rate limited.', retry_after: fault.retryAfter, global: fault.global },
  };
}

function faultReply(fault: PendingFault, path: string): Reply {
  if (fault.status === 429) return rateLimitReply(fault, path);
  return { status: fault.status, body: { message: `${fault.status}: Emulated failure`, code: fault.code } };
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Serves Discord's REST API from the emulator state and records every call. */
export class RestServer {
  readonly requests: EventLog<RecordedRequest>;
  readonly #faults: PendingFault[] = [];

  constructor(
    private readonly routes: readonly Route[],
    signal: Signal,
  ) {
    this.requests = new EventLog(signal, (r) => `${r.method} ${r.path} -> ${r.status}${r.unexpected ? ` (${r.unexpected})` : ''}`);
  }

  failNext(predicate: (request: IncomingRequest) => boolean, options: FaultOptions): void {
    this.#faults.push({
      predicate,
      status: options.status ?? 429,
      retryAfter: options.retryAfter ?? 0.1,
      global: options.global ?? false,
      code: options.code ?? 0,
    });
  }

  readonly handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://emulator');
    const versioned = url.pathname.startsWith(`${API_PREFIX}/`);
    const incoming: IncomingRequest = {
      method: request.method ?? 'GET',
      path: decodePath(versioned ? url.pathname.slice(API_PREFIX.length) : url.pathname),
      rawPath: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      authorization: request.headers.authorization ?? null,
      at: Date.now(),
    };
    const outcome: Outcome = { reply: { status: 500 }, route: null, injectedFault: false, unexpected: null };
    try {
      ({ json: incoming.body, files: incoming.files } = await parseBody(request));
      this.#answer(incoming, url.searchParams, versioned, outcome);
    } catch (error) {
      if (error instanceof DiscordApiError) {
        outcome.reply = { status: error.status, body: error.toBody() };
      } else {
        outcome.unexpected = `emulator error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
        outcome.reply = { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
      }
    }
    const { reply, route, injectedFault, unexpected } = outcome;
    // Recorded before answering, so a test awaiting this call sees the state it produced.
    this.requests.push({
      ...incoming,
      index: this.requests.length,
      status: reply.status,
      response: reply.body,
      route,
      injectedFault,
      unexpected,
    });
    const payload = reply.body === undefined ? undefined : JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...reply.headers,
    });
    response.end(payload);
  };

  /** Fills `outcome` step by step so a thrown API error still reports the matched route. */
  #answer(incoming: IncomingRequest, query: URLSearchParams, versioned: boolean, outcome: Outcome): void {
    const match = versioned ? matchRoute(this.routes, incoming.method, incoming.path) : null;
    outcome.route = match ? `${match.route.method} ${match.route.pattern}` : null;
    const faultIndex = this.#faults.findIndex((fault) => fault.predicate(incoming));
    if (faultIndex !== -1) {
      const [fault] = this.#faults.splice(faultIndex, 1);
      outcome.injectedFault = true;
      outcome.reply = faultReply(fault as PendingFault, incoming.path);
    } else if (!match) {
      outcome.unexpected = 'no such route in the emulator';
      outcome.reply = { status: 404, body: apiErrors.notFound().toBody() };
    } else if (match.route.auth && !incoming.authorization?.startsWith('Bot ')) {
      outcome.reply = { status: 401, body: apiErrors.unauthorized().toBody() };
    } else {
      outcome.reply = match.route.handle({ params: match.params, query, body: incoming.body, files: incoming.files });
    }
  }
}
