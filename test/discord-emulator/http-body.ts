import type { IncomingMessage } from 'node:http';
import { DiscordApiError } from './api-error.js';

export interface UploadedFile {
  /** The form field, `files[n]` as @discordjs/rest names it. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface ParsedBody {
  /** The JSON body, or a multipart request's `payload_json`. */
  json: unknown;
  files: UploadedFile[];
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DiscordApiError(400, 50109, 'The request body contains invalid JSON.');
  }
}

/**
 * discord.js sends JSON, or multipart/form-data with `payload_json` plus
 * `files[n]` parts when attachments are involved. The WHATWG Response parser
 * that ships with Node decodes multipart, so no extra dependency is needed.
 */
export async function parseBody(request: IncomingMessage): Promise<ParsedBody> {
  const raw = await readAll(request);
  if (raw.length === 0) return { json: undefined, files: [] };
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: UploadedFile[] = [];
    let json: unknown;
    for (const [field, value] of form) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = parseJson(value);
        continue;
      }
      files.push({
        field,
        filename: value.name,
        contentType: value.type,
        data: Buffer.from(await value.arrayBuffer()),
      });
    }
    return { json, files };
  }
  return { json: parseJson(raw.toString('utf8')), files: [] };
}
