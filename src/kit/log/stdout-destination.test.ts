import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/emit-lines.ts', import.meta.url));

function run(ending: string) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fixture, ending], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  const lines = child.stdout.split('\n').filter((l) => l.startsWith('{'));
  return {
    status: child.status,
    records: lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('stdoutDestination', () => {
  it.each([
    ['normal', 0, 1001],
    ['exit', 3, 1000],
    ['crash', 1, 1000],
  ])('writes every line, in order, when the process ends by %s', (ending, status, count) => {
    const { status: exitCode, records } = run(ending);
    expect(exitCode).toBe(status);
    expect(records).toHaveLength(count);
    expect(records.map((r) => r.i)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(records.every((r) => r['x-correlation-id'] === 'child-1' || r.i === 1000)).toBe(true);
  });
});
