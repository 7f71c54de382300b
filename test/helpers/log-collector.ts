export interface LogEntry {
  level: string;
  event: string;
  [field: string]: unknown;
}

/** The JSON log lines in a process's output (`npm start`, `npm run start:sharded`), in order. */
export function logLinesIn(output: string): LogEntry[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogEntry);
}

/** Collects what the bot's JsonLogger writes, so tests can assert on (and await) log lines. */
export class LogCollector {
  readonly lines: string[] = [];
  readonly #waiters = new Set<() => void>();

  readonly write = (line: string): void => {
    this.lines.push(line);
    for (const waiter of [...this.#waiters]) waiter();
  };

  entries(filter: Partial<LogEntry> = {}): LogEntry[] {
    return this.lines
      .map((line) => JSON.parse(line) as LogEntry)
      .filter((entry) => Object.entries(filter).every(([key, value]) => entry[key] === value));
  }

  /** The interaction log lines (one per handled interaction or DM). */
  interactions(filter: Partial<LogEntry> = {}): LogEntry[] {
    return this.entries({ event: 'interaction', ...filter });
  }

  /**
   * Resolves with the probe's first defined result, re-checked on every line written. A handler
   * logs after its last REST call, so waiting on the emulator would miss its log line.
   */
  until<T>(probe: () => T | undefined, description: string, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found === undefined) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`Timed out waiting for ${description}; last lines:\n${this.lines.slice(-5).join('')}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  /** The first entry matching `filter`, once it is written. */
  waitFor(filter: Partial<LogEntry>, timeoutMs?: number): Promise<LogEntry> {
    return this.until(() => this.entries(filter)[0], `a log line like ${JSON.stringify(filter)}`, timeoutMs);
  }

  /** All interaction lines matching `filter`, once there are `count` of them. */
  waitForInteractions(filter: Partial<LogEntry>, count: number, timeoutMs?: number): Promise<LogEntry[]> {
    return this.until(
      () => {
        const found = this.interactions(filter);
        return found.length >= count ? found : undefined;
      },
      `${count} interaction log lines like ${JSON.stringify(filter)}`,
      timeoutMs,
    );
  }
}

