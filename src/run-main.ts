import dotenv from 'dotenv';
import { InvalidQuestionError, UsageError, UserFacingError } from './errors.js';
import { terminalSafe } from './render/terminal-safe.js';

function exitCodeOf(error: unknown): number {
  return error instanceof UsageError || error instanceof InvalidQuestionError ? 2 : 1;
}

/**
 * Runs an entry point (every CLI, the bot, the deploy script): settings from `.env`, and a
 * failure reported once, as one line for a person; a stack trace only for errors nobody
 * anticipated, or with DEBUG set. `exitOnFailure` ends the process at once, for entries whose
 * open connections would otherwise keep it running.
 */
export function runMain(main: () => Promise<void>, { exitOnFailure = false } = {}): void {
  dotenv.config({ quiet: true });
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${terminalSafe(message)}\n`);
    if (!(error instanceof UserFacingError) || process.env.DEBUG) {
      process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    }
    process.exitCode = exitCodeOf(error);
    if (exitOnFailure) process.exit();
  });
}

/** A warning for the person at the terminal; it may name corpus files, so it is made safe to print. */
export function printWarning(message: string): void {
  process.stderr.write(`warning: ${terminalSafe(message)}\n`);
}
