import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateCounts } from './aggregate.ts';
import { pointArb } from './arbitraries.test-support.ts';
import { monitoringSink } from './monitoring.ts';
import { parseMetricLines } from './parse.ts';
import type { MetricPoint } from './types.ts';

const totals = (points: MetricPoint[]) => {
  const sums = new Map<string, number>();
  for (const p of points.filter((x) => x.type === 'count')) {
    const key = JSON.stringify([
      p.name,
      Math.floor(p.timestamp / 1000),
      Object.entries(p.dimensions).sort(),
    ]);
    sums.set(key, (sums.get(key) ?? 0) + p.value);
  }
  return sums;
};

describe('aggregateCounts', () => {
  it('keeps every total and every non-count point, with one point per counter and second', () => {
    const small = pointArb.map((p) => ({
      ...p,
      value: Math.round(p.value) % 1000,
      timestamp: p.timestamp % 3000,
    }));
    fc.assert(
      fc.property(fc.array(small, { maxLength: 40 }), (points) => {
        const out = aggregateCounts(points);
        expect(out.filter((p) => p.type !== 'count')).toEqual(
          points.filter((p) => p.type !== 'count'),
        );
        const expected = totals(points);
        expect(totals(out)).toEqual(expected);
        expect(out.filter((p) => p.type === 'count')).toHaveLength(expected.size);
      }),
    );
  });

  it('lets a busy process write one MONITORING line per counter per second', () => {
    let text = '';
    const at = 1_700_000_000_100;
    const points: MetricPoint[] = Array.from({ length: 1000 }, (_, i) => ({
      name: 'shortener.redirects',
      value: 1,
      type: 'count',
      timestamp: at + (i % 2) * 1000,
      dimensions: {},
    }));
    monitoringSink((t) => {
      text += t;
    }).write(points);
    expect(text).toBe(
      'MONITORING|1700000000|500|count|shortener.redirects\nMONITORING|1700000001|500|count|shortener.redirects\n',
    );
    expect(parseMetricLines(text.split('\n')).points.reduce((sum, p) => sum + p.value, 0)).toBe(
      1000,
    );
  });
});
