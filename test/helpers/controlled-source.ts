import { setTimeout as delay } from 'node:timers/promises';
import type { AnswerSource } from '../../src/discord/bot-context.js';
import type { EngineEvents } from '../../src/engine/corpus-engine.js';
import type { Answer, SearchOptions } from '../../src/retrieval/types.js';
import { DelegatingEmbedder } from './delegating-embedder.js';

/* Wrappers around the real engine and model: they delegate, and never invent results. */

/**
 * The engine as the bot sees it, with knobs to make retrieval slow or failing. Every search that
 * succeeds is the real engine's answer.
 */
export class ControlledSource implements AnswerSource {
  /** Added before each search, to stand in for a slow retriever (a big index, a loaded machine). */
  searchDelayMs = 0;
  /** Thrown by the next searches instead of answering (after the delay), to exercise the error path. */
  searchError: Error | null = null;

  constructor(public inner: AnswerSource) {}

  async search(question: string, options?: SearchOptions): Promise<Answer> {
    if (this.searchDelayMs > 0) await delay(this.searchDelayMs);
    if (this.searchError) throw this.searchError;
    return this.inner.search(question, options);
  }

  sources() {
    return this.inner.sources();
  }

  passage(passageId: number) {
    return this.inner.passage(passageId);
  }

  reindex(events?: EngineEvents) {
    return this.inner.reindex(events);
  }

  get indexVersion(): string {
    return this.inner.indexVersion;
  }

  get defaultResults(): number {
    return this.inner.defaultResults;
  }

  get maxQuestionChars(): number {
    return this.inner.maxQuestionChars;
  }

  get corpus(): { dir: string; maxFileBytes: number } {
    return this.inner.corpus;
  }

  get isReindexing(): boolean {
    return this.inner.isReindexing;
  }
}

/**
 * Holds passage embedding (what a re-index spends its time on) until the test opens the gate, so
 * "a re-index is running" lasts exactly as long as a test needs; queries are never held.
 */
export class GatedEmbedder extends DelegatingEmbedder {
  #gate: { promise: Promise<void>; open: () => void } | null = null;
  #onWaiting: Array<() => void> = [];
  waitingCalls = 0;

  /** From now on, passage embedding waits for `open()`. */
  close(): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.#gate = { promise, open };
  }

  open(): void {
    const gate = this.#gate;
    this.#gate = null;
    gate?.open();
  }

  /** Resolves once a passage-embedding call is held at the closed gate. */
  held(): Promise<void> {
    if (this.waitingCalls > 0) return Promise.resolve();
    return new Promise((resolve) => this.#onWaiting.push(resolve));
  }

  override async embedPassages(texts: string[]): Promise<Float32Array[]> {
    const gate = this.#gate;
    if (gate) {
      this.waitingCalls += 1;
      for (const notify of this.#onWaiting.splice(0)) notify();
      await gate.promise;
      this.waitingCalls -= 1;
    }
    return this.inner.embedPassages(texts);
  }
}

