/**
 * Structured logs: one JSON object per line, so a log pipeline can filter by event or outcome.
 * Any occurrence of a registered secret (the bot token) is masked before a line is written.
 */
export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}

export class JsonLogger implements Logger {
  private readonly secrets: string[];

  constructor(
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
    secrets: Array<string | undefined> = [],
    /** On every line, after the time and before the event's own fields: which process wrote it (a shard's id). */
    private readonly origin: LogFields = {},
  ) {
    this.secrets = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 8);
  }

  log(level: LogLevel, event: string, fields: LogFields = {}): void {
    let line = JSON.stringify({ time: new Date().toISOString(), level, event, ...this.origin, ...fields }, errorReplacer);
    for (const secret of this.secrets) line = line.split(secret).join('[redacted]');
    this.write(`${line}\n`);
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
