import type { Answer } from './types.js';

/**
 * A map holding at most `capacity` entries, dropping the least recently used first. A Map
 * iterates in insertion order, so re-inserting a key on every use keeps the least recently used
 * one first, where eviction takes it. A capacity of 0 holds nothing.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Embeddings and answers of recent questions, so a question asked again (a retry, a popular
 * question in a busy server) skips the model and the search.
 *
 * An answer is only valid for the index version that computed it: the first lookup under another
 * version drops every answer, so a re-index never serves a stale one. An embedding depends only on
 * the model, which an engine keeps for its lifetime, so embeddings survive re-indexing.
 *
 * Promises are stored, so identical questions arriving together share one computation; a failed
 * one is forgotten, so the next ask tries again rather than replaying the error.
 */
export class QueryCache {
  private readonly embeddings: LruCache<string, Promise<Float32Array>>;
  private readonly answers: LruCache<string, Promise<Answer>>;
  private answersVersion: string | null = null;

  constructor(capacity: number) {
    this.embeddings = new LruCache(capacity);
    this.answers = new LruCache(capacity);
  }

  /** The embedding of a (normalised) question, computed by `embed` unless remembered. */
  embedding(question: string, embed: () => Promise<Float32Array>): Promise<Float32Array> {
    return remember(this.embeddings, question, embed);
  }

  /** The answer under `key` (the question and every search option) from index `version`. */
  answer(version: string, key: string, search: () => Promise<Answer>): Promise<Answer> {
    if (version !== this.answersVersion) {
      this.answers.clear();
      this.answersVersion = version;
    }
    return remember(this.answers, key, search);
  }
}

function remember<V>(cache: LruCache<string, Promise<V>>, key: string, compute: () => Promise<V>): Promise<V> {
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const pending = compute();
  cache.set(key, pending);
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}
