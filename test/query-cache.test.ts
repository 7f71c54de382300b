import { afterEach, describe, expect, it } from 'vitest';
import { CorpusEngine } from '../src/engine/corpus-engine.js';
import { LruCache, QueryCache } from '../src/retrieval/query-cache.js';
import type { Answer } from '../src/retrieval/types.js';
import { CountingEmbedder, createWorkspace, testEmbedder, type Workspace } from './helpers/workspace.js';

function answerOf(question: string, indexVersion: string): Answer {
  return { question, answered: false, results: [], totalMatches: 0, notMentioned: [], unstated: null, indexVersion, mode: 'hybrid' };
}

describe('LruCache', () => {
  it('evicts the least recently used entry, counting reads as uses', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('holds nothing at capacity 0', () => {
    const cache = new LruCache<string, number>(0);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

describe('QueryCache', () => {
  it('computes an answer once per index version and key', async () => {
    const cache = new QueryCache(8);
    let searches = 0;
    const search = async () => answerOf('q', `v${++searches}`);
    const first = await cache.answer('v1', 'q', search);
    expect(await cache.answer('v1', 'q', search)).toBe(first);
    expect(searches).toBe(1);
    await cache.answer('v2', 'q', search);
    expect(searches).toBe(2);
    // The answers of the old version are gone, not kept beside the new ones.
    await cache.answer('v1', 'q', search);
    expect(searches).toBe(3);
  });

  it('shares one computation between identical questions asked together', async () => {
    const cache = new QueryCache(8);
    let embeddings = 0;
    const embed = async () => {
      embeddings += 1;
      return new Float32Array([1, 0]);
    };
    const [a, b] = await Promise.all([cache.embedding('q', embed), cache.embedding('q', embed)]);
    expect(a).toBe(b);
    expect(embeddings).toBe(1);
  });

  it('forgets a failed computation, so the next ask tries again', async () => {
    const cache = new QueryCache(8);
    await expect(cache.answer('v1', 'q', () => Promise.reject(new Error('model crashed')))).rejects.toThrow('model crashed');
    await expect(cache.answer('v1', 'q', async () => answerOf('q', 'v1'))).resolves.toMatchObject({ question: 'q' });
  });
});

describe('the engine with a query cache', () => {
  let workspace: Workspace | undefined;
  afterEach(() => workspace?.cleanup());

  /** The engine, and how many questions the model has embedded since it opened (calibration embeds its own). */
  async function openEngine(cacheSize: number): Promise<{ engine: CorpusEngine; counting: { readonly queriesEmbedded: number } }> {
    workspace = await createWorkspace();
    const embedder = new CountingEmbedder(await testEmbedder());
    const engine = await CorpusEngine.open(workspace.settings({ QUERY_CACHE_SIZE: String(cacheSize) }), { embedder });
    const atOpen = embedder.queriesEmbedded;
    return { engine, counting: { get queriesEmbedded() { return embedder.queriesEmbedded - atOpen; } } };
  }

  it('answers a repeated question from the cache with the same answer', async () => {
    const { engine, counting } = await openEngine(16);
    const first = await engine.search('What did the Secret Service foil in July?');
    const again = await engine.search('  What did the Secret Service   foil in July? ');
    expect(again).toEqual(first);
    expect(counting.queriesEmbedded).toBe(1);
    // Other options are another answer, but the question's embedding is reused.
    const nextPage = await engine.search('What did the Secret Service foil in July?', { offset: 1 });
    expect(nextPage.results[0]?.rank).toBe(2);
    expect(counting.queriesEmbedded).toBe(1);
  });

  it('answers from the new index after a re-index', async () => {
    const { engine } = await openEngine(16);
    const question = 'Which zorbanite mine reopened?';
    const before = await engine.search(question, { mode: 'lexical' });
    expect(before.results.some((result) => result.source === 'zorbanite.txt')).toBe(false);
    await workspace!.write('zorbanite.txt', 'The zorbanite mine in Varnholt reopened in March after ten years.\n');
    await engine.reindex();
    const after = await engine.search(question, { mode: 'lexical' });
    expect(after.indexVersion).not.toBe(before.indexVersion);
    expect(after.results[0]?.source).toBe('zorbanite.txt');
  });

  it('evicts the least recently asked question when full', async () => {
    const { engine, counting } = await openEngine(2);
    await engine.search('Who foiled the plot?');
    await engine.search('What did Iran deny?');
    await engine.search('When was the message sent?');
    expect(counting.queriesEmbedded).toBe(3);
    await engine.search('When was the message sent?');
    expect(counting.queriesEmbedded).toBe(3);
    await engine.search('Who foiled the plot?');
    expect(counting.queriesEmbedded).toBe(4);
  });

  it('searches every time when the cache is off', async () => {
    const { engine, counting } = await openEngine(0);
    await engine.search('Who foiled the plot?');
    await engine.search('Who foiled the plot?');
    expect(counting.queriesEmbedded).toBe(2);
  });
});
