import { ConfigError } from '../errors.js';

/**
 * Typed readers for environment settings. A malformed value is an error naming the setting,
 * never a silent fallback to the default: an operator who set it wanted something.
 */
export type Env = Record<string, string | undefined>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function readString(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

export function readOptionalString(env: Env, name: string): string | undefined {
  return raw(env, name);
}

export function readNumber(
  env: Env,
  name: string,
  fallback: number,
  { min = -Infinity, max = Infinity, integer = false }: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  const kind = integer ? 'a whole number' : 'a number';
  if (!Number.isFinite(parsed) || (integer && !Number.isInteger(parsed)) || parsed < min || parsed > max) {
    throw new ConfigError(name, `${name} must be ${kind} from ${min} to ${max}; it is "${value}".`);
  }
  return parsed;
}

/** Like `readNumber`, but undefined when the setting is unset (the caller computes its own default). */
export function readOptionalNumber(env: Env, name: string, range: Parameters<typeof readNumber>[3] = {}): number | undefined {
  return raw(env, name) === undefined ? undefined : readNumber(env, name, 0, range);
}

export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, `${name} must be true or false; it is "${env[name]}".`);
}

export function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const match = choices.find((choice) => choice === value.toLowerCase());
  if (match === undefined) {
    throw new ConfigError(name, `${name} must be one of ${choices.join(', ')}; it is "${value}".`);
  }
  return match;
}
