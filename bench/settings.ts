/**
 * A number from the environment (a benchmark setting), or `fallback` when unset; anything that
 * is not a number of at least `min` stops the run with the setting's name.
 *
 * @example
 * const rounds = envNumber('BENCH_ROUNDS', 6, 1);
 */
export function envNumber(name: string, fallback: number, min = 0): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) {
    throw new Error(`${name}: expected a number >= ${min}, got "${value}"`);
  }
  return parsed;
}
