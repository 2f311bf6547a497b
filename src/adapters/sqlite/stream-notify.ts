/**
 * In-process wake-ups on commit: a consumer waiting for new records (or queue messages) is
 * woken by the writer right after its transaction commits, instead of polling. Other processes
 * still fall back to the timeout.
 */
const waiters = new Map<string, Set<() => void>>();

/** Wake everyone waiting on `key`. Call after the commit, never inside the transaction. */
export function notifyCommit(key: string): void {
  const set = waiters.get(key);
  if (!set) return;
  waiters.delete(key);
  for (const wake of set) wake();
}

/**
 * Resolve on the next {@link notifyCommit} for `key`, after `timeoutMs`, or on abort. The
 * waiter is registered before `ready` is checked, so a commit between the caller's last read
 * and this call is never missed.
 */
export function waitForCommit(
  key: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  ready: () => boolean,
): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let set = waiters.get(key);
    if (!set) {
      set = new Set();
      waiters.set(key, set);
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      const current = waiters.get(key);
      current?.delete(done);
      if (current?.size === 0) waiters.delete(key);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    signal?.addEventListener('abort', done, { once: true });
    set.add(done);
    if (ready()) done();
  });
}
