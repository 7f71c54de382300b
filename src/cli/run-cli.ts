import dotenv from 'dotenv';
import { InvalidQuestionError, UserFacingError } from '../errors.js';
import { terminalSafe } from '../render/terminal-safe.js';

/** Bad input from the person running the command: exit code 2, as usage errors conventionally are. */
export class UsageError extends UserFacingError {}

function exitCodeOf(error: unknown): number {
  return error instanceof UsageError || error instanceof InvalidQuestionError ? 2 : 1;
}

/**
 * Runs a command-line entry point: settings from `.env`, and every failure reported once, as a
 * message for a person (a stack trace only for errors nobody anticipated, or with DEBUG set).
 */
export function runCli(main: () => Promise<void>): void {
  dotenv.config({ quiet: true });
  main().catch((error: unknown) => {
    const expected = error instanceof UserFacingError;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${terminalSafe(message)}\n`);
    if (!expected || process.env.DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    process.exitCode = exitCodeOf(error);
  });
}

/** A warning for the person at the terminal; it may name corpus files, so it is made safe to print. */
export function printWarning(message: string): void {
  process.stderr.write(`warning: ${terminalSafe(message)}\n`);
}
