import { describe, expect, it } from 'vitest';
import { FailureThrottle } from './throttle';

describe('FailureThrottle', () => {
  it('blocks an address after too many failures, until the window passes', () => {
    let now = 1_000_000;
    const throttle = new FailureThrottle({ maxFailures: 3, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 3; i += 1) {
      expect(throttle.retryAfterMs('a')).toBe(0);
      throttle.recordFailure('a');
      now += 1000;
    }
    expect(throttle.retryAfterMs('a')).toBe(57_000);
    expect(throttle.retryAfterMs('b')).toBe(0);
    now += 57_000;
    expect(throttle.retryAfterMs('a')).toBe(0);
  });

  it('forgets failures after a success', () => {
    const throttle = new FailureThrottle({ maxFailures: 2, windowMs: 60_000 });
    throttle.recordFailure('a');
    throttle.recordSuccess('a');
    throttle.recordFailure('a');
    expect(throttle.retryAfterMs('a')).toBe(0);
  });
});
