import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonRetryableError } from './errors.ts';
import { backoffDelay, nextRetryDelay } from './retry-timing.ts';

const exact = { initialMs: 100, factor: 2, maxMs: 1_000, jitter: 'none' as const };

describe('backoffDelay', () => {
  it('grows exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, exact))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('with full jitter stays within [0, computed]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (n, r) => {
          const delay = backoffDelay(n, { ...exact, jitter: 'full' }, () => r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(backoffDelay(n, exact));
        },
      ),
    );
  });
});

describe('nextRetryDelay', () => {
  const base = {
    maxAttempts: 3,
    elapsedMs: 0,
    budgetMs: 5_000,
    error: new Error('x'),
    backoff: exact,
  };

  it('retries until attempts are used up', () => {
    expect(nextRetryDelay({ ...base, attempt: 1 })).toBe(100);
    expect(nextRetryDelay({ ...base, attempt: 2 })).toBe(200);
    expect(nextRetryDelay({ ...base, attempt: 3 })).toBeUndefined();
  });

  it('stops when the next delay would overrun the budget', () => {
    expect(nextRetryDelay({ ...base, attempt: 1, elapsedMs: 4_950 })).toBeUndefined();
  });

  it('stops on NonRetryableError and when shouldRetry says no', () => {
    expect(
      nextRetryDelay({ ...base, attempt: 1, error: new NonRetryableError('bad') }),
    ).toBeUndefined();
    expect(nextRetryDelay({ ...base, attempt: 1, shouldRetry: () => false })).toBeUndefined();
  });

  it('never lets elapsed time plus the delay reach the budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (attempt, elapsedMs, budgetMs) => {
          const delay = nextRetryDelay({ ...base, maxAttempts: 10, attempt, elapsedMs, budgetMs });
          if (delay !== undefined) expect(elapsedMs + delay).toBeLessThan(budgetMs);
        },
      ),
    );
  });
});
