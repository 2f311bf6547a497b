/**
 * Retry an assertion until it passes or a deadline passes. Use it instead of a fixed sleep
 * whenever the thing under test is asynchronous (a processor catching up, a poll interval).
 *
 * @example
 * await eventually(async () => expect(await visits(code)).toBe(3), { timeoutMs: 5000 });
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
