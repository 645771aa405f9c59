/** How many failures an address may have inside the window before it must wait. */
export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
}

/** Counts failed sign-ins per client address so that guessing the password is slow. */
export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    // Ten guesses a minute keeps guessing slow while a script with a mistyped secret on this
    // machine locks the owner out of the loopback-only studio for a minute at most.
    private readonly limits: ThrottleLimits = { maxFailures: 10, windowMs: 60_000 },
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds the address must still wait, or 0 when it may try. */
  retryAfterMs(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.limits.maxFailures) return 0;
    const oldest = recent[recent.length - this.limits.maxFailures] ?? this.now();
    return Math.max(0, oldest + this.limits.windowMs - this.now());
  }

  recordFailure(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    this.failures.set(address, recent);
  }

  recordSuccess(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.limits.windowMs;
    return (this.failures.get(address) ?? []).filter((t) => t > since);
  }
}
