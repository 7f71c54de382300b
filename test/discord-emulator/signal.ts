export const DEFAULT_WAIT_MS = 5_000;

interface Waiter {
  check(): void;
  fail(error: Error): void;
}

/**
 * Lets tests await a condition on emulator state instead of sleeping: every
 * state change calls `notify()`, which re-evaluates the pending probes.
 */
export class Signal {
  readonly #waiters = new Set<Waiter>();
  #closedReason: string | null = null;

  notify(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }

  /** Resolves with the probe's first non-undefined result. */
  until<T>(probe: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    if (this.#closedReason !== null) return Promise.reject(new Error(this.#closedReason));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          let value: T | undefined;
          try {
            value = probe();
          } catch (error) {
            waiter.fail(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (value === undefined) return;
          this.#waiters.delete(waiter);
          clearTimeout(timer);
          resolve(value);
        },
        fail: (error) => {
          this.#waiters.delete(waiter);
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.fail(new Error(`Timed out after ${timeoutMs} ms waiting for ${describe()}`)),
        timeoutMs,
      );
      this.#waiters.add(waiter);
      waiter.check();
    });
  }

  /** Fails every pending wait so a stopped emulator cannot leave a test hanging. */
  close(reason: string): void {
    this.#closedReason = reason;
    for (const waiter of [...this.#waiters]) waiter.fail(new Error(reason));
  }
}

export interface LogWaitOptions {
  timeoutMs?: number;
  /** Only entries at or after this index count; pass a `length` read earlier. */
  since?: number;
}

/** An append-only record that tests can query now or await later. */
export class EventLog<T> {
  readonly #entries: T[] = [];

  constructor(
    private readonly signal: Signal,
    private readonly summarize: (entry: T) => string,
  ) {}

  get length(): number {
    return this.#entries.length;
  }

  push(entry: T): void {
    this.#entries.push(entry);
    this.signal.notify();
  }

  all(): readonly T[] {
    return this.#entries;
  }

  waitFor(predicate: (entry: T) => boolean, options: LogWaitOptions = {}): Promise<T> {
    let cursor = options.since ?? 0;
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return this.signal.until(
      () => {
        for (; cursor < this.#entries.length; cursor++) {
          const entry = this.#entries[cursor] as T;
          if (predicate(entry)) return entry;
        }
        return undefined;
      },
      timeoutMs,
      () => {
        const recent = this.#entries.slice(-10).map(this.summarize);
        return `a matching entry (predicate: ${predicate.toString()}); last entries:\n  ${recent.join('\n  ') || '(none)'}`;
      },
    );
  }
}
