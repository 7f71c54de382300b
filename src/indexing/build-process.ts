import { UserFacingError } from '../errors.js';
import { TransformersEmbedder } from '../embeddings/transformers-embedder.js';
import { IndexDirectory } from '../index-store/index-directory.js';
import { updateIndex } from './update-index.js';
import type { BuildMessage, BuildRequest, SerializedError } from './build-protocol.js';

/*
 * Runs one index build in a child process. onnxruntime runs the model synchronously, so
 * embedding in the bot's process would stop its event loop (no heartbeats, no answers) for the
 * whole build. A process of its own, rather than a worker thread, because onnxruntime-node's
 * native state is not safe to share between threads of one process, and because whatever the
 * build allocates is returned to the system when it ends.
 */

function send(message: BuildMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, undefined, () => resolve()));
}

function serialize(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const setting = (error as { setting?: unknown }).setting;
  return {
    name: error.name,
    message: error.message,
    ...(typeof setting === 'string' ? { setting } : {}),
    ...(error instanceof UserFacingError ? { userFacing: true } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
  };
}

async function build(request: BuildRequest): Promise<BuildMessage> {
  const embedder = await TransformersEmbedder.load(request.model);
  try {
    const { summary } = await updateIndex({
      directory: new IndexDirectory(request.indexDir),
      embedder,
      settings: request.index,
      onProgress: (progress) => void send({ type: 'progress', progress }),
      onWarning: (message) => void send({ type: 'warning', message }),
    });
    return { type: 'done', summary };
  } finally {
    await embedder.dispose();
  }
}

// The parent going away (a crash, a kill) ends the build: nobody would serve what it writes,
// and the lock it holds is taken over as stale by the next writer.
process.on('disconnect', () => process.exit(1));
process.once('message', (request: BuildRequest) => {
  build(request)
    .catch((error: unknown): BuildMessage => ({ type: 'failed', error: serialize(error) }))
    .then(send)
    .then(() => process.exit(0));
});
