import type { APIApplication, RESTGetAPIGatewayBotResult } from 'discord-api-types/v10';
import { MessageFlags } from 'discord-api-types/v10';
import { apiErrors } from './api-error.js';
import type { UploadedFile } from './http-body.js';
import type { CallbackOutcome, EmulatorState } from './state.js';

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below /api/v10; `:name` segments are parameters. */
  pattern: string;
  /** Interaction callbacks and webhooks are authorised by their token, not the bot token. */
  auth: boolean;
  handle(request: RouteRequest): RouteResult;
}

export interface RouteDeps {
  state: EmulatorState;
  gatewayUrl: string;
  recommendedShards: number;
  application: APIApplication;
}

const ok = (body: unknown): RouteResult => ({ status: 200, body });
const noContent: RouteResult = { status: 204 };

function param(request: RouteRequest, name: string): string {
  const value = request.params[name];
  if (value === undefined) throw new Error(`Route pattern lacks :${name}`);
  return value;
}

/** The body discord.js reads when it asks for `with_response=true`. */
function callbackResponse({ record, message }: CallbackOutcome): unknown {
  const type = record.callback?.type;
  const interaction = {
    id: record.id,
    type: record.type,
    ...(message === null
      ? {}
      : {
          response_message_id: message.id,
          response_message_loading: ((message.flags ?? 0) & MessageFlags.Loading) !== 0,
          response_message_ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
        }),
  };
  return { interaction, resource: message === null ? { type } : { type, message } };
}

export function createRoutes({ state, gatewayUrl, application, recommendedShards }: RouteDeps): Route[] {
  const appId = (request: RouteRequest) => param(request, 'applicationId');
  return [
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: true,
      handle: () =>
        ok({
          url: gatewayUrl,
          shards: recommendedShards,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 },
        } satisfies RESTGetAPIGatewayBotResult),
    },
    { method: 'GET', pattern: '/users/@me', auth: true, handle: () => ok(state.config.bot) },
    {
      method: 'GET',
      pattern: '/users/:userId',
      auth: true,
      handle: (request) => {
        const user = state.users.get(param(request, 'userId'));
        if (!user) throw apiErrors.unknownUser();
        return ok(user);
      },
    },
    { method: 'POST', pattern: '/users/@me/channels', auth: true, handle: (request) => ok(state.openDm(request.body)) },
    { method: 'GET', pattern: '/applications/@me', auth: true, handle: () => ok(application) },
    {
      method: 'GET',
      pattern: '/channels/:channelId',
      auth: true,
      handle: (request) => ok(state.requireChannel(param(request, 'channelId'))),
    },
    {
      method: 'POST',
      pattern: '/channels/:channelId/messages',
      auth: true,
      handle: (request) => ok(state.createChannelMessage(param(request, 'channelId'), request.body, request.files)),
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: true,
      handle: (request) => ok(state.channelMessage(param(request, 'channelId'), param(request, 'messageId'))),
    },
    {
      method: 'PATCH',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: true,
      handle: (request) =>
        ok(state.editChannelMessage(param(request, 'channelId'), param(request, 'messageId'), request.body, request.files)),
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: true,
      handle: (request) => {
        state.deleteChannelMessage(param(request, 'channelId'), param(request, 'messageId'));
        return noContent;
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:channelId/messages/:messageId/threads',
      auth: true,
      handle: (request) => ({
        status: 201,
        body: state.startThreadFromMessage(param(request, 'channelId'), param(request, 'messageId'), request.body),
      }),
    },
    {
      method: 'POST',
      pattern: '/channels/:channelId/typing',
      auth: true,
      handle: (request) => {
        state.requireChannel(param(request, 'channelId'));
        return noContent;
      },
    },
    {
      method: 'POST',
      pattern: '/interactions/:interactionId/:token/callback',
      auth: false,
      handle: (request) => {
        const outcome = state.respondToInteraction(
          param(request, 'interactionId'),
          param(request, 'token'),
          request.body,
          request.files,
        );
        // discord.js always sends with_response, as "false" unless it wants the body.
        return request.query.get('with_response') === 'true' ? ok(callbackResponse(outcome)) : noContent;
      },
    },
    {
      method: 'POST',
      pattern: '/webhooks/:applicationId/:token',
      auth: false,
      handle: (request) => {
        const message = state.createFollowUp(appId(request), param(request, 'token'), request.body, request.files);
        return request.query.get('wait') === 'true' ? ok(message) : noContent;
      },
    },
    {
      method: 'GET',
      pattern: '/webhooks/:applicationId/:token/messages/:messageId',
      auth: false,
      handle: (request) => ok(state.webhookMessage(appId(request), param(request, 'token'), param(request, 'messageId'))),
    },
    {
      method: 'PATCH',
      pattern: '/webhooks/:applicationId/:token/messages/:messageId',
      auth: false,
      handle: (request) =>
        ok(
          state.editWebhookMessage(
            appId(request),
            param(request, 'token'),
            param(request, 'messageId'),
            request.body,
            request.files,
          ),
        ),
    },
    {
      method: 'DELETE',
      pattern: '/webhooks/:applicationId/:token/messages/:messageId',
      auth: false,
      handle: (request) => {
        state.deleteWebhookMessage(appId(request), param(request, 'token'), param(request, 'messageId'));
        return noContent;
      },
    },
    {
      method: 'GET',
      pattern: '/applications/:applicationId/commands',
      auth: true,
      handle: (request) => ok(state.commands(appId(request), null)),
    },
    {
      method: 'PUT',
      pattern: '/applications/:applicationId/commands',
      auth: true,
      handle: (request) => ok(state.overwriteCommands(appId(request), null, request.body)),
    },
    {
      method: 'POST',
      pattern: '/applications/:applicationId/commands',
      auth: true,
      handle: (request) => {
        const { command, created } = state.upsertCommand(appId(request), null, request.body);
        return { status: created ? 201 : 200, body: command };
      },
    },
    {
      method: 'GET',
      pattern: '/applications/:applicationId/guilds/:guildId/commands',
      auth: true,
      handle: (request) => ok(state.commands(appId(request), param(request, 'guildId'))),
    },
    {
      method: 'PUT',
      pattern: '/applications/:applicationId/guilds/:guildId/commands',
      auth: true,
      handle: (request) => ok(state.overwriteCommands(appId(request), param(request, 'guildId'), request.body)),
    },
    {
      method: 'POST',
      pattern: '/applications/:applicationId/guilds/:guildId/commands',
      auth: true,
      handle: (request) => {
        const { command, created } = state.upsertCommand(appId(request), param(request, 'guildId'), request.body);
        return { status: created ? 201 : 200, body: command };
      },
    },
  ];
}

/**
 * Matches a decoded path. First match wins, so literal routes such as
 * `/users/@me` are listed before `/users/:userId`.
 */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | null {
  const segments = path.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.pattern.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith(':')) {
        params[part.slice(1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (matches) return { route, params };
  }
  return null;
}
