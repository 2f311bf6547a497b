import type { Context } from 'aws-lambda';

/** Stop starting new work this long before Lambda's timeout, to report what is finished. */
const SAFETY_MS = 1_000;

/**
 * An AbortSignal that fires shortly before the invocation's deadline, so in-process retries
 * stop in time and the batch response can still be returned. No context (tests): never fires.
 *
 * @example
 * const { signal, clear } = deadlineSignal(context);
 */
export function deadlineSignal(context: Partial<Context> | undefined): {
  signal: AbortSignal;
  clear(): void;
} {
  const controller = new AbortController();
  const remaining = context?.getRemainingTimeInMillis?.();
  if (remaining === undefined) return { signal: controller.signal, clear: () => {} };
  const timer = setTimeout(() => controller.abort(), Math.max(0, remaining - SAFETY_MS));
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
