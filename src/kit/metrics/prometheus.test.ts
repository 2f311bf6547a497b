import { describe, expect, it } from 'vitest';
import { prometheusName, prometheusSink } from './prometheus.ts';

const at = 1_700_000_000_000;

describe('prometheusSink', () => {
  it('exposes counts, gauges and timings in Prometheus text', async () => {
    const prom = prometheusSink();
    prom.write([
      { name: 'links.created', value: 1, type: 'count', timestamp: at, dimensions: {} },
      { name: 'links.created', value: 2, type: 'count', timestamp: at, dimensions: {} },
      { name: 'stream.lag', value: 7, type: 'gauge', timestamp: at, dimensions: { shard: '0' } },
      {
        name: 'http.latency',
        value: 3,
        type: 'timing',
        timestamp: at,
        dimensions: { route: '/:code', status: '308' },
      },
      {
        name: 'http.latency',
        value: 300,
        type: 'timing',
        timestamp: at,
        dimensions: { route: '/', extra: 'dropped' },
      },
      { name: 'links.created', value: -1, type: 'count', timestamp: at, dimensions: {} },
    ]);
    const text = await prom.registry.metrics();
    expect(text).toContain('# TYPE links_created_total counter');
    expect(text).toContain('links_created_total 3');
    expect(text).toContain('stream_lag{shard="0"} 7');
    expect(text).toContain('http_latency_seconds_bucket{le="0.005",route="/:code",status="308"} 1');
    expect(text).toContain('http_latency_seconds_count{route="/",status=""} 1');
    expect(text).not.toContain('dropped');
  });

  it('adds up across flushes, per label set, and shares a name that differs only by _', async () => {
    const prom = prometheusSink();
    const hit = (name: string, route: string) =>
      ({ name, value: 1, type: 'count', timestamp: at, dimensions: { route } }) as const;
    prom.write([hit('cache.hits', '/a'), hit('cache.hits', '/b')]);
    prom.write([hit('cache.hits', '/a'), hit('cache_hits', '/a')]);
    const text = await prom.registry.metrics();
    expect(text).toContain('cache_hits_total{route="/a"} 3');
    expect(text).toContain('cache_hits_total{route="/b"} 1');
  });

  it('makes any name a valid Prometheus name', () => {
    expect(prometheusName('http.request-latency')).toBe('http_request_latency');
    expect(prometheusName('9lives')).toBe('_9lives');
  });
});
