/**
 * Retry timing as data and pure functions, so it can be tested without clocks.
 */
import { NonRetryableError } from './errors.ts';

/** Exponential backoff with optional full jitter. */
export interface Backoff {
  /** Delay before the first retry, ms. */
  initialMs: number;
  /** Growth per retry. */
  factor: number;
  /** Upper bound of one delay, ms. */
  maxMs: number;
  /** `full`: a uniform random delay in [0, computed]; `none`: exactly the computed delay. */
  jitter: 'full' | 'none';
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 100, factor: 2, maxMs: 2_000, jitter: 'full' };

/**
 * The delay before retry number `retry` (1-based). `random` is injected for tests.
 *
 * @example
 * backoffDelay(3, { initialMs: 100, factor: 2, maxMs: 2000, jitter: 'none' }); // 400
 */
export function backoffDelay(retry: number, backoff: Backoff, random: () => number = Math.random) {
  const computed = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** (retry - 1));
  return backoff.jitter === 'full' ? Math.floor(random() * computed) : computed;
}

/** What the in-process retry loop needs to decide. */
export interface RetryDecisionInput {
  /** Attempts made so far (≥ 1). */
  attempt: number;
  /** Maximum attempts, the first one included. */
  maxAttempts: number;
  /** Time spent since the first attempt started, ms. */
  elapsedMs: number;
  /** Total time budget for all attempts, ms. */
  budgetMs: number;
  error: unknown;
  backoff: Backoff;
  /** Extra predicate; a false answer stops retrying. */
  shouldRetry?: (error: unknown) => boolean;
}

/**
 * Whether to retry in process, and after how long: a delay in ms, or `undefined` to stop.
 * Stops on {@link NonRetryableError}, when attempts are used up, or when the delay would
 * overrun the budget (a retry that cannot finish in time is not worth starting).
 *
 * @example
 * nextRetryDelay({ attempt: 1, maxAttempts: 3, elapsedMs: 10, budgetMs: 5000, error, backoff });
 */
export function nextRetryDelay(input: RetryDecisionInput, random: () => number = Math.random) {
  if (input.error instanceof NonRetryableError) return undefined;
  if (input.shouldRetry && !input.shouldRetry(input.error)) return undefined;
  if (input.attempt >= input.maxAttempts) return undefined;
  const delay = backoffDelay(input.attempt, input.backoff, random);
  if (input.elapsedMs + delay >= input.budgetMs) return undefined;
  return delay;
}
