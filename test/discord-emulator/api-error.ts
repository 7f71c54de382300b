/** Discord nests field errors by path, with the leaf messages under `_errors`. */
export interface FormErrorTree {
  [key: string]: FormErrorTree | { code: string; message: string }[];
}

/** An error answered in Discord's JSON shape, so discord.js raises a real DiscordAPIError. */
export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FormErrorTree,
  ) {
    super(message);
  }

  toBody(): { message: string; code: number; errors?: FormErrorTree } {
    return this.errors ? { message: this.message, code: this.code, errors: this.errors } : { message: this.message, code: this.code };
  }
}

export const apiErrors = {
  notFound: () => new DiscordApiError(404, 0, '404: Not Found'),
  unauthorized: () => new DiscordApiError(401, 0, '401: Unauthorized'),
  unknownChannel: () => new DiscordApiError(404, 10003, 'Unknown Channel'),
  unknownMessage: () => new DiscordApiError(404, 10008, 'Unknown Message'),
  unknownUser: () => new DiscordApiError(404, 10013, 'Unknown User'),
  unknownWebhook: () => new DiscordApiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => new DiscordApiError(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () => new DiscordApiError(400, 40060, 'Interaction has already been acknowledged.'),
  emptyMessage: () => new DiscordApiError(400, 50006, 'Cannot send an empty message'),
  invalidRecipient: () => new DiscordApiError(400, 50033, 'Invalid Recipient(s)'),
  missingPermissions: () => new DiscordApiError(403, 50013, 'Missing Permissions'),
  cannotEditOthersMessage: () => new DiscordApiError(403, 50005, 'Cannot edit a message authored by another user'),
};

/** Collects every invalid field first, as Discord reports them all in one response. */
export class FormErrors {
  readonly #tree: FormErrorTree = {};
  #any = false;

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node = this.#tree;
    for (const key of path) {
      const next = node[String(key)];
      if (next === undefined || Array.isArray(next)) {
        const child: FormErrorTree = {};
        node[String(key)] = child;
        node = child;
      } else {
        node = next;
      }
    }
    const leaf = node._errors;
    if (Array.isArray(leaf)) leaf.push({ code, message });
    else node._errors = [{ code, message }];
    this.#any = true;
  }

  maxLength(path: readonly (string | number)[], value: { length: number } | undefined, max: number): void {
    if (value !== undefined && value.length > max) {
      this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    }
  }

  throwIfAny(): void {
    if (this.#any) throw new DiscordApiError(400, 50035, 'Invalid Form Body', this.#tree);
  }
}
