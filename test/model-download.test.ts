import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_MODEL } from '../src/embeddings/model-settings.js';
import { PROJECT_ROOT, TSX, createWorkspace, type Workspace } from './helpers/workspace.js';

/*
 * A hub model fetched over HTTP, as a user's first run does: a local mirror of the hub (set by
 * EMBEDDING_HUB_URL, as HF mirrors are) serves the bundled model's files under a hub-style id,
 * slowly enough that the download shows its progress; the second run is offline, from the cache.
 */

let server: Server;
let hubUrl: string;
let workspace: Workspace;
const requested: string[] = [];

beforeAll(async () => {
  workspace = await createWorkspace();
  server = createServer(async (request, response) => {
    requested.push(request.url ?? '');
    const match = /^\/testorg\/use-lite\/resolve\/main\/(.+)$/.exec(request.url ?? '');
    const file = match ? path.join(BUNDLED_MODEL.dir, decodeURIComponent(match[1]!)) : null;
    if (!file || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    const { size } = await stat(file);
    response.writeHead(200, { 'content-length': String(size), 'content-type': 'application/octet-stream' });
    // About two seconds for the 7 MB model file: long enough to be shown as a download.
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
      response.write(chunk);
      if (size > 2 ** 20) await new Promise((resolve) => setTimeout(resolve, 70));
    }
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server?.close();
  await workspace?.cleanup();
});

function index(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [path.join(PROJECT_ROOT, 'src/cli/index-corpus.ts')],
      {
        cwd: PROJECT_ROOT,
        env: workspace.processEnv({
          EMBEDDING_MODEL: 'testorg/use-lite',
          EMBEDDING_CACHE_DIR: path.join(workspace.root, 'models'),
          EMBEDDING_QUANTIZED: 'true',
          ...env,
        }),
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('a hub model on first use', () => {
  it('is downloaded from EMBEDDING_HUB_URL with its progress shown, then used offline from the cache', async () => {
    // Online for this run whatever the suite's environment says (CI runs offline: EMBEDDING_OFFLINE=true).
    const first = await index({ EMBEDDING_HUB_URL: hubUrl, EMBEDDING_OFFLINE: 'false' });
    expect(first.code).toBe(0);
    expect(requested).toContain('/testorg/use-lite/resolve/main/onnx/model_quantized.onnx');
    expect(first.stderr).toMatch(/^Fetching the embedding model testorg\/use-lite: onnx\/model_quantized\.onnx 100% of \d+\.\d MB$/m);
    expect(first.stdout).toMatch(/ready: 5 documents/);

    server.close();
    requested.length = 0;
    const second = await index({ EMBEDDING_HUB_URL: hubUrl, EMBEDDING_OFFLINE: 'true' });
    expect(second.code).toBe(0);
    expect(second.stderr).not.toMatch(/Fetching/);
    expect(second.stdout).toMatch(/is up to date: 5 documents/);
    expect(requested).toEqual([]);
  }, 120_000);

  it('refuses an EMBEDDING_HUB_URL that is not a URL, naming the setting', async () => {
    const run = await index({ EMBEDDING_HUB_URL: 'huggingface.co' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('error: EMBEDDING_HUB_URL must be an http(s) URL, such as https://huggingface.co/; it is "huggingface.co".');
  });
});
