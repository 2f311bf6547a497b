import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.ts';
import { MetricsError } from './errors.ts';
import { createMetrics } from './metrics.ts';
import type { MetricPoint, MetricSink } from './types.ts';

function collector(): MetricSink & { points: MetricPoint[] } {
  const points: MetricPoint[] = [];
  return { points, write: (batch) => void points.push(...batch) };
}

describe('createMetrics', () => {
  it('buffers points and flushes them in the background', async () => {
    const sink = collector();
    const metrics = createMetrics({
      sinks: [sink],
      flushIntervalMs: 10,
      defaultDimensions: { service: 's' },
    });
    const before = Date.now();
    metrics.count('links.created');
    metrics.gauge('lag', 3, { shard: '0' });
    metrics.timing('latency', 1.5, { service: 'override' });
    expect(sink.points).toEqual([]); // nothing written on the caller's path
    expect(metrics.stats().buffered).toBe(3);
    await eventually(() => expect(sink.points).toHaveLength(3), { timeoutMs: 2000 });
    expect(sink.points.map(({ timestamp, ...rest }) => rest)).toEqual([
      { name: 'links.created', value: 1, type: 'count', dimensions: { service: 's' } },
      { name: 'lag', value: 3, type: 'gauge', dimensions: { service: 's', shard: '0' } },
      { name: 'latency', value: 1.5, type: 'timing', dimensions: { service: 'override' } },
    ]);
    for (const p of sink.points) expect(p.timestamp).toBeGreaterThanOrEqual(before);
    expect(metrics.stats().buffered).toBe(0);
    await metrics.close();
  });

  it('flush waits for async sinks, but no longer than its budget', async () => {
    let release = () => {};
    const slow: MetricSink = {
      write: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    };
    const metrics = createMetrics({ sinks: [slow], flushIntervalMs: 60_000 });
    metrics.count('x');
    const started = performance.now();
    const result = await metrics.flush({ budgetMs: 30 });
    const elapsed = performance.now() - started;
    expect(result).toEqual({ points: 1, complete: false });
    expect(elapsed).toBeGreaterThanOrEqual(25);
    release();
    metrics.count('y');
    const second = metrics.flush({ budgetMs: 5_000 });
    release();
    expect(await second).toEqual({ points: 1, complete: true });
    await metrics.close({ budgetMs: 0 });
  });

  it('defers what a slow synchronous sink cannot write within the budget', async () => {
    const written: number[] = [];
    const busy: MetricSink = {
      write(points) {
        const until = performance.now() + 20;
        while (performance.now() < until) {} // a slow synchronous write
        written.push(points.length);
      },
    };
    const metrics = createMetrics({ sinks: [busy], flushIntervalMs: 5 });
    for (let i = 0; i < 2000; i++) metrics.count('n');
    const result = await metrics.flush({ budgetMs: 10 });
    expect(result.complete).toBe(false);
    expect(result.points).toBe(500);
    // The rest is flushed by the background timer.
    await eventually(() => expect(written.reduce((a, b) => a + b, 0)).toBe(2000), {
      timeoutMs: 5000,
    });
    await metrics.close();
  });

  it('drops and counts points beyond the buffer limit instead of growing without bound', async () => {
    const sink = collector();
    const metrics = createMetrics({ sinks: [sink], maxBufferedPoints: 2, flushIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) metrics.count('n');
    expect(metrics.stats()).toEqual({ buffered: 2, dropped: 3 });
    await metrics.close();
    expect(sink.points).toHaveLength(2);
  });

  it('flushes at once when half the buffer fills before the interval, so nothing is dropped', async () => {
    const sink = collector();
    const metrics = createMetrics({
      sinks: [sink],
      maxBufferedPoints: 100,
      flushIntervalMs: 60_000,
    });
    // Ten bursts, each bigger than the limit's half: without the early flush the buffer would
    // be full after the second, and the interval is a minute away.
    for (let burst = 1; burst <= 10; burst++) {
      for (let i = 0; i < 60; i++) metrics.timing('latency', i);
      await eventually(() => expect(sink.points).toHaveLength(burst * 60), { timeoutMs: 2000 });
    }
    expect(metrics.stats()).toEqual({ buffered: 0, dropped: 0 });
    await metrics.close();
  });

  it("keeps a collector's point even when the buffer is full", async () => {
    const sink = collector();
    const metrics = createMetrics({ sinks: [sink], maxBufferedPoints: 2, flushIntervalMs: 60_000 });
    // A collector records a delta that stands for many events; losing it loses them all.
    metrics.collect(() => metrics.count('redirects', 7));
    for (let i = 0; i < 5; i++) metrics.count('n');
    expect(metrics.stats().dropped).toBe(3);
    await metrics.flush();
    expect(sink.points.map((p) => [p.name, p.value])).toEqual([
      ['n', 1],
      ['n', 1],
      ['redirects', 7],
    ]);
    await metrics.close();
  });

  it('takes a sink that returns something other than a promise as synchronous', async () => {
    const errors: unknown[] = [];
    const written: number[] = [];
    // postMessage, say, returns true: the write happened, there is nothing to wait for.
    const sink = {
      write(points: readonly unknown[]) {
        written.push(points.length);
        return true;
      },
    } as unknown as MetricSink;
    const metrics = createMetrics({ sinks: [sink], onError: (error) => errors.push(error) });
    metrics.count('a');
    expect(await metrics.flush()).toEqual({ points: 1, complete: true });
    expect(written).toEqual([1]);
    expect(errors).toEqual([]);
  });

  it('reports sink failures without throwing into the caller', async () => {
    const errors: unknown[] = [];
    const ok = collector();
    const metrics = createMetrics({
      sinks: [
        {
          write: () => {
            throw new Error('sync boom');
          },
        },
        {
          write: async () => {
            throw new Error('async boom');
          },
        },
        ok,
      ],
      onError: (e) => errors.push(e),
    });
    metrics.count('n');
    await metrics.flush();
    expect(ok.points).toHaveLength(1);
    expect(errors.map((e) => (e as Error).message).sort()).toEqual(['async boom', 'sync boom']);
  });

  it('runs collectors at every flush, so periodic values ride along', async () => {
    const sink = collector();
    const metrics = createMetrics({ sinks: [sink], flushIntervalMs: 60_000 });
    let hits = 0;
    let reported = 0;
    metrics.collect(() => {
      if (hits > reported) metrics.count('cache.hits', hits - reported);
      reported = hits;
    });
    hits = 5;
    await metrics.flush();
    hits = 7;
    await metrics.flush();
    await metrics.flush();
    expect(sink.points.map((p) => p.value)).toEqual([5, 2]);
  });

  it('rejects points no format can carry', async () => {
    const errors: unknown[] = [];
    const sink = collector();
    const metrics = createMetrics({ sinks: [sink], onError: (e) => errors.push(e) });
    // Name and value are checked at once, where the mistake is made.
    expect(() => metrics.gauge('g', Number.NaN)).toThrow(MetricsError);
    expect(() => metrics.count('')).toThrow(MetricsError);
    expect(() => metrics.count('_aws')).toThrow(MetricsError);
    // Dimensions are checked at flush, off the request path: reported and dropped.
    metrics.count('route', 1, { route: '/' });
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`d${i}`, 'v']));
    metrics.count('n', 1, many);
    metrics.count('fine', 1, { route: '/' });
    await metrics.flush();
    expect(sink.points.map((p) => p.name)).toEqual(['fine']);
    expect(errors).toHaveLength(2);
    expect(String(errors[1])).toMatch(/at most 30 dimensions/);
    expect(() => createMetrics({ sinks: [], maxBufferedPoints: 0 })).toThrow(MetricsError);
  });
});
