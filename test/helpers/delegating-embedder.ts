import type { Embedder } from '../../src/embeddings/embedder.js';

/**
 * An embedder that hands every call to another. Tests and benchmarks extend it to count, hold
 * or precompute calls while the real model does the work.
 */
export class DelegatingEmbedder implements Embedder {
  constructor(protected readonly inner: Embedder) {}

  get fingerprint(): string {
    return this.inner.fingerprint;
  }

  get dimension(): number {
    return this.inner.dimension;
  }

  get maxTokens(): number {
    return this.inner.maxTokens;
  }

  countTokens(text: string): number {
    return this.inner.countTokens(text);
  }

  embedPassages(texts: string[]): Promise<Float32Array[]> {
    return this.inner.embedPassages(texts);
  }

  embedQuery(text: string): Promise<Float32Array> {
    return this.inner.embedQuery(text);
  }
}
