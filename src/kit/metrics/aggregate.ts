import type { MetricPoint } from './types.ts';

/**
 * Sum counts that share name, dimensions and second into one point, so a busy function
 * writes one line per counter per second instead of one per event. Gauges and timings pass
 * through unchanged (a timing's distribution needs every value). Order is kept: each sum
 * sits where its first count was.
 *
 * @example
 * aggregateCounts([a1, a1, t]); // [a1 with value 2, t]
 */
export function aggregateCounts(points: readonly MetricPoint[]): MetricPoint[] {
  const out: MetricPoint[] = [];
  const sums = new Map<string, MetricPoint>();
  for (const point of points) {
    if (point.type !== 'count') {
      out.push(point);
      continue;
    }
    const second = Math.floor(point.timestamp / 1000);
    // NUL and SOH cannot be confused with text in names and values; cheaper than JSON.
    let key = `${point.name}\u0000${second}`;
    for (const name of Object.keys(point.dimensions).sort()) {
      key += `\u0000${name}\u0001${point.dimensions[name]}`;
    }
    const sum = sums.get(key);
    if (sum) {
      sum.value += point.value;
      continue;
    }
    const first = { ...point, timestamp: second * 1000 };
    sums.set(key, first);
    out.push(first);
  }
  return out;
}
