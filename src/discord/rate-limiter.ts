/** A sliding-window limit per user: at most `limit` actions in any `windowMs`. */
export class RateLimiter {
  private readonly history = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an action and returns 0, or returns how many ms until the user may act again. */
  take(userId: string): number {
    const now = this.now();
    const recent = (this.history.get(userId) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.history.set(userId, recent);
      return recent[0]! + this.windowMs - now;
    }
    recent.push(now);
    this.history.set(userId, recent);
    // Forget users whose window has passed, so the map does not grow with every user ever seen.
    if (this.history.size > 10_000) {
      for (const [user, times] of this.history) if (times.every((at) => now - at >= this.windowMs)) this.history.delete(user);
    }
    return 0;
  }
}
