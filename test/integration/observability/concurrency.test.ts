import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, observeRequests } from '../../../src/kit/http/index.ts';
import { createLogger, memoryDestination } from '../../../src/kit/log/index.ts';

// Two real servers on loopback: `edge` logs, waits a random time, calls `downstream` with the
// context-forwarding client, and logs again. Both write to one log stream, as services
// shipped to one central place do.
const logs = memoryDestination();
const servers: Array<ReturnType<typeof serve>> = [];
let edgeUrl = '';

const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 15));

async function listen(app: Hono): Promise<string> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const sampling = { debugSampleRate: 0 };
  const downstream = new Hono();
  const downstreamLog = createLogger({ destination: logs, name: 'downstream', level: 'info' });
  observeRequests(downstream, { logger: downstreamLog, ...sampling });
  downstream.get('/echo/:i', async (c) => {
    await pause();
    downstreamLog.info({ i: Number(c.req.param('i')) }, 'downstream work');
    return c.json({ ok: true });
  });
  const downstreamUrl = await listen(downstream);

  const edge = new Hono();
  const edgeLog = createLogger({ destination: logs, name: 'edge', level: 'info' });
  const http = createHttpClient();
  observeRequests(edge, { logger: edgeLog, ...sampling });
  edge.get('/work/:i', async (c) => {
    const i = Number(c.req.param('i'));
    edgeLog.info({ i }, 'start');
    await pause();
    const res = await http(`${downstreamUrl}/echo/${i}`);
    await res.arrayBuffer();
    await pause();
    edgeLog.info({ i }, 'end');
    return c.json({ ok: res.ok });
  });
  edgeUrl = await listen(edge);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('100 interleaved requests with different correlation ids', () => {
  it('never mix ids in any log line, in either service', async () => {
    const ids = Array.from({ length: 100 }, () => randomUUID());
    const responses = await Promise.all(
      ids.map((id, i) =>
        fetch(`${edgeUrl}/work/${i}`, {
          headers: { 'x-correlation-id': id, 'x-correlation-n': String(i) },
        }),
      ),
    );
    for (const res of responses) expect(res.status).toBe(200);

    const records = logs.records();
    // Per request: edge start, end and request lines; downstream work and request lines.
    expect(records).toHaveLength(500);
    const indexOf = (r: Record<string, unknown>): number => {
      if (typeof r.i === 'number') return r.i;
      const match = /\/(\d+)$/.exec(String(r.path));
      if (!match) throw new Error(`line without request index: ${JSON.stringify(r)}`);
      return Number(match[1]);
    };
    const perRequest = new Map<number, string[]>();
    for (const r of records) {
      const i = indexOf(r);
      expect(r['x-correlation-id'], JSON.stringify(r)).toBe(ids[i]);
      expect(r['x-correlation-n'], JSON.stringify(r)).toBe(String(i));
      perRequest.set(i, [...(perRequest.get(i) ?? []), `${r.name}:${r.msg}`]);
    }
    for (const i of ids.keys()) {
      // The order a person reading one request's lines would see.
      expect(perRequest.get(i)).toEqual([
        'edge:start',
        'downstream:downstream work',
        'downstream:request',
        'edge:end',
        'edge:request',
      ]);
    }
    // The requests really overlapped: the first request finished after others had started.
    const starts = records.map((r, n) => [n, r] as const).filter(([, r]) => r.msg === 'start');
    const firstEdgeEnd = records.findIndex((r) => r.msg === 'end');
    expect(starts.filter(([n]) => n < firstEdgeEnd).length).toBeGreaterThan(1);
  });
});
