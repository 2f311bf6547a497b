import { describe, expect, it } from 'vitest';
import {
  createMetrics,
  emfSink,
  type MetricPoint,
  monitoringSink,
  parseMetricLines,
} from '../../../src/kit/metrics/index.ts';
import { emfProblems } from './emf-schema.ts';

/** A realistic mix: request timings by route and status, counters, gauges per shard. */
function record(metrics: ReturnType<typeof createMetrics>): MetricPoint[] {
  const expected: MetricPoint[] = [];
  const push = (p: Omit<MetricPoint, 'timestamp'>) => expected.push({ ...p, timestamp: 0 });
  for (let i = 0; i < 300; i++) {
    const dims = {
      method: 'GET',
      route: i % 3 ? '/:code' : 'unmatched',
      status: i % 3 ? '308' : '404',
    };
    metrics.timing('http.request.latency', i / 10, dims);
    push({ name: 'http.request.latency', value: i / 10, type: 'timing', dimensions: dims });
    metrics.count('shortener.redirects');
    push({ name: 'shortener.redirects', value: 1, type: 'count', dimensions: {} });
  }
  // 150 distinct metrics in one dimension set: more than one EMF document can hold.
  for (let i = 0; i < 150; i++) {
    metrics.gauge(`stream.lag.p${i}`, i, { processor: 'visit-counter', shard: 'shard-0' });
    push({
      name: `stream.lag.p${i}`,
      value: i,
      type: 'gauge',
      dimensions: { processor: 'visit-counter', shard: 'shard-0' },
    });
  }
  metrics.count('odd|name,with=syntax %', 2, { 'route key': 'a b|c' });
  push({
    name: 'odd|name,with=syntax %',
    value: 2,
    type: 'count',
    dimensions: { 'route key': 'a b|c' },
  });
  return expected;
}

/** Points compared without time: counts summed per name and dimensions, the rest as a multiset. */
function summary(points: MetricPoint[]) {
  const counts = new Map<string, number>();
  const others: string[] = [];
  for (const p of points) {
    const key = JSON.stringify([p.name, p.type, Object.entries(p.dimensions).sort()]);
    if (p.type === 'count') counts.set(key, (counts.get(key) ?? 0) + p.value);
    else others.push(`${key}=${p.value}`);
  }
  return { counts: Object.fromEntries([...counts].sort()), others: others.sort() };
}

describe.each([
  ['MONITORING', (write: (t: string) => void) => monitoringSink(write)],
  ['EMF', (write: (t: string) => void) => emfSink({ namespace: 'shortline-test', write })],
])('%s lines round trip through the recorder and the parser', (_name, makeSink) => {
  it('gives back every recorded point (counts summed per second)', async () => {
    let text = '';
    const before = Math.floor(Date.now() / 1000) * 1000;
    const metrics = createMetrics({
      sinks: [
        makeSink((t) => {
          text += t;
        }),
      ],
      flushIntervalMs: 10,
    });
    const expected = record(metrics);
    await metrics.close({ budgetMs: 5000 });
    const lines = text.trimEnd().split('\n');
    const { points, malformed } = parseMetricLines(lines);
    expect(malformed).toBe(0);
    expect(summary(points)).toEqual(summary(expected));
    for (const p of points) {
      expect(p.timestamp).toBeGreaterThanOrEqual(before);
      expect(p.timestamp % 1000).toBe(0);
    }
  });
});

describe('EMF documents', () => {
  it('follow the documented structure, with at most 100 metrics per document', async () => {
    let text = '';
    const metrics = createMetrics({
      sinks: [
        emfSink({
          namespace: 'shortline-test',
          write: (t) => {
            text += t;
          },
        }),
      ],
    });
    record(metrics);
    await metrics.close({ budgetMs: 5000 });
    const docs = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(docs.length).toBeGreaterThan(2);
    for (const doc of docs) expect(emfProblems(doc)).toEqual([]);
    const lagDocs = docs.filter((d) => d.processor === 'visit-counter');
    // 150 metrics in one dimension set need two documents (100 + 50).
    expect(
      lagDocs.map((d) => Object.keys(d).filter((k) => k.startsWith('stream.lag.')).length).sort(),
    ).toEqual([100, 50].sort());
    const latency = docs.find((d) => d.status === '308');
    expect(latency).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'shortline-test',
            Dimensions: [['method', 'route', 'status']],
            Metrics: [{ Name: 'http.request.latency', Unit: 'Milliseconds' }],
          },
        ],
      },
      method: 'GET',
      route: '/:code',
    });
    expect(latency?.['http.request.latency']).toHaveLength(100);
  });

  it('the validator itself catches broken documents', () => {
    const good = {
      _aws: {
        Timestamp: 1,
        CloudWatchMetrics: [
          { Namespace: 'n', Dimensions: [['d']], Metrics: [{ Name: 'm', Unit: 'Count' }] },
        ],
      },
      d: 'x',
      m: 1,
    };
    expect(emfProblems(good)).toEqual([]);
    expect(emfProblems({ ...good, m: 'one' })).not.toEqual([]);
    expect(emfProblems({ ...good, d: 5 })).not.toEqual([]);
    expect(emfProblems({ ...good, _aws: { ...good._aws, Timestamp: '1' } })).not.toEqual([]);
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ Name: `m${i}` }));
    expect(
      emfProblems({
        _aws: {
          Timestamp: 1,
          CloudWatchMetrics: [{ Namespace: 'n', Dimensions: [], Metrics: tooMany }],
        },
      }),
    ).not.toEqual([]);
    expect(
      emfProblems({
        ...good,
        _aws: {
          ...good._aws,
          CloudWatchMetrics: [{ Namespace: ' ', Dimensions: [], Metrics: [] }],
        },
      }),
    ).not.toEqual([]);
  });
});
