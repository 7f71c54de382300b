/**
 * Errors a caller acts on. Each carries a message meant for the person who has to fix the
 * problem (a user, an operator), so edges print `message` and never a stack trace.
 */

/** The base of every error whose message is written for a person: edges print it as one line. */
export class UserFacingError extends Error {
  constructor(message: string) {
    super(message);
    // Each subclass is named by its class, so a log or a revived error says which one it was.
    this.name = new.target.name;
  }
}

/** Bad input from the person running a command (an option, an argument): exit code 2, as usage errors conventionally are. */
export class UsageError extends UserFacingError {}

/** A setting is missing or malformed; `setting` names the environment variable to change. */
export class ConfigError extends UserFacingError {
  constructor(readonly setting: string, message: string) {
    super(message);
  }
}

/** The embedding model could not be loaded or does not behave as configured. */
export class ModelLoadError extends UserFacingError {}

/** The question cannot be searched as given (empty, too long, control characters). */
export class InvalidQuestionError extends UserFacingError {}

/** A re-index was asked for while another one is running. */
export class ReindexInProgressError extends UserFacingError {
  constructor() {
    super('A re-index is already running; the current index keeps answering until it finishes.');
  }
}

/** A persisted index is unreadable (missing file, wrong checksum, truncated, wrong shape). */
export class IndexCorruptError extends UserFacingError {}

/** Nothing in the corpus folder can be indexed. */
export class EmptyCorpusError extends UserFacingError {}

/** Another process is writing a new index version in the same folder. */
export class IndexLockedError extends UserFacingError {
  constructor(readonly indexDir: string, readonly holderPid: number | null) {
    super(
      holderPid === null
        ? `The index in ${indexDir} is being taken over by other writers; try again in a moment.`
        : `Another process (pid ${holderPid}) is writing the index in ${indexDir}; try again when it is done.`,
    );
  }
}

/** The index folder cannot be read or written as it is (full disk, read-only, a file where a folder belongs). */
export class IndexStorageError extends UserFacingError {}

/** The process building a new index version ended before it finished (killed, out of memory). */
export class IndexBuildError extends UserFacingError {}

/** The bot's database (`BOT_DATABASE`) cannot be opened or brought up to date. */
export class BotStateError extends UserFacingError {
  constructor(readonly file: string, cause: unknown) {
    super(`The bot's database ${file} cannot be used: ${cause instanceof Error ? cause.message : String(cause)}. Check BOT_DATABASE and the folder's permissions.`);
    this.cause = cause;
  }
}

/** A document offered for the corpus (a Discord attachment) cannot be added as it is: bad name, type, size or text. */
export class DocumentRejectedError extends UserFacingError {}

/** The index database (`DATABASE_URL`) cannot be reached, or does not hold what the bot needs (pgvector, a version). */
export class IndexDatabaseError extends UserFacingError {}
