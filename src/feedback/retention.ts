const DAY_MS = 86_400_000;

/** The earliest time a record kept for `retentionDays` may be from, at `now`. */
export function oldestKept(now: number, retentionDays: number): number {
  return now - retentionDays * DAY_MS;
}
