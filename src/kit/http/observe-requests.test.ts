import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { currentContext } from '../context/index.ts';
import { createLogger, memoryDestination } from '../log/index.ts';
import { createMetrics, type MetricPoint } from '../metrics/index.ts';
import { createHttpClient } from './client.ts';
import { observeRequests } from './observe-requests.ts';

function setup(random = () => 1) {
  const out = memoryDestination();
  const logger = createLogger({ destination: out, level: 'info' });
  const points: MetricPoint[] = [];
  const metrics = createMetrics({ sinks: [{ write: (p) => void points.push(...p) }] });
  const app = new Hono();
  observeRequests(app, { logger, metrics, random });
  app.onError((_error, c) =>
    c.json({ error: { code: 'INTERNAL', message: 'internal error' } }, 500),
  );
  app.get('/:code', async (c) => {
    logger.debug('looking up');
    // Yield so concurrent requests interleave.
    await new Promise((resolve) => setImmediate(resolve));
    return c.json(
      { seen: currentContext()?.correlationIds },
      c.req.param('code') === 'gone' ? 404 : 200,
    );
  });
  app.get('/boom/now', () => {
    throw new Error('kaboom');
  });
  return { app, out, points, metrics };
}

describe('observeRequests', () => {
  it('runs the handler inside the request context and logs one line with the ids', async () => {
    const { app, out, points, metrics } = setup();
    const res = await app.request('/abc?secret=1', {
      headers: { 'x-correlation-id': 'trace-1', 'x-correlation-user': 'u', 'user-agent': 'ua/1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-correlation-id')).toBe('trace-1');
    expect(await res.json()).toEqual({
      seen: { 'x-correlation-id': 'trace-1', 'x-correlation-user': 'u' },
    });
    const [line, ...rest] = out.records();
    expect(rest).toEqual([]); // the debug line is not sampled
    expect(line).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      route: '/:code',
      path: '/abc',
      status: 200,
      'x-correlation-id': 'trace-1',
      'x-correlation-user': 'u',
      'user-agent': 'ua/1',
    });
    expect(JSON.stringify(line)).not.toContain('secret');
    await metrics.flush();
    expect(points).toMatchObject([
      {
        name: 'http.request.latency',
        type: 'timing',
        dimensions: { method: 'GET', route: '/:code', status: '200' },
      },
    ]);
  });

  it('logs at debug through the request when upstream sampled it', async () => {
    const { app, out } = setup();
    await app.request('/abc', { headers: { 'debug-log-enabled': 'true' } });
    expect(out.records().map((r) => [r.level, r.msg, r['debug-log-enabled']])).toEqual([
      ['debug', 'looking up', true],
      ['info', 'request', true],
    ]);
  });

  it('samples new requests at the configured rate', async () => {
    const { app, out } = setup(() => 0);
    await app.request('/abc');
    expect(out.records()[0]).toMatchObject({ level: 'debug', msg: 'looking up' });
  });

  it('names unmatched routes and failures without leaking paths into metric dimensions', async () => {
    const { app, out, points, metrics } = setup();
    expect((await app.request('/gone')).status).toBe(404);
    expect((await app.request('/a/b/c/d')).status).toBe(404);
    expect((await app.request('/boom/now')).status).toBe(500);
    await metrics.flush();
    expect(points.map((p) => [p.dimensions.route, p.dimensions.status])).toEqual([
      ['/:code', '404'],
      ['unmatched', '404'],
      ['/boom/now', '500'],
    ]);
    const failed = out.records()[2];
    expect(failed).toMatchObject({ level: 'error', msg: 'request', status: 500 });
  });

  it('keeps 100 interleaved requests apart', async () => {
    const { app, out } = setup();
    const ids = Array.from({ length: 100 }, (_, i) => `id-${i}-${Math.random()}`);
    const responses = await Promise.all(
      ids.map((id) => app.request('/x', { headers: { 'x-correlation-id': id } })),
    );
    for (const [i, res] of responses.entries()) {
      expect(
        ((await res.json()) as { seen: Record<string, string> }).seen['x-correlation-id'],
      ).toBe(ids[i]);
    }
    expect(new Set(out.records().map((r) => r['x-correlation-id']))).toEqual(new Set(ids));
  });
});

describe('createHttpClient', () => {
  it('forwards the current context as headers, explicit headers winning', async () => {
    const downstream = new Hono();
    downstream.get('/echo', (c) => c.json(Object.fromEntries(c.req.raw.headers)));
    const { app } = setup();
    const http = createHttpClient({
      fetch: async (input, init) => downstream.request(input, init),
    });
    app.get('/call/:what', async (c) => {
      const explicit = c.req.param('what') === 'explicit';
      const res = await http(
        'http://downstream/echo',
        explicit ? { headers: { 'user-agent': 'mine' } } : {},
      );
      return c.json(await res.json());
    });
    const headers = {
      'x-correlation-id': 'abc',
      'user-agent': 'caller/1',
      'debug-log-enabled': 'true',
    };
    const seen = (await (await app.request('/call/plain', { headers })).json()) as Record<
      string,
      string
    >;
    expect(seen).toMatchObject({
      'x-correlation-id': 'abc',
      'user-agent': 'caller/1',
      'debug-log-enabled': 'true',
    });
    const mine = (await (await app.request('/call/explicit', { headers })).json()) as Record<
      string,
      string
    >;
    expect(mine['user-agent']).toBe('mine');
    const outside = (await (await http('http://downstream/echo')).json()) as Record<string, string>;
    expect(outside).not.toHaveProperty('x-correlation-id');
  });
});
