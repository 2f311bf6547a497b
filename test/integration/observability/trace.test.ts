import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStreamStorage, streamsFile } from '../../../src/adapters/sqlite/stream-storage.ts';
import { createObservability } from '../../../src/kit/http/index.ts';
import { createLogger, memoryDestination } from '../../../src/kit/log/index.ts';
import { defineProcessor, startProcessors } from '../../../src/kit/stream/index.ts';
import { loadConfig } from '../../../src/runtime/config.ts';
import { type LocalService, startLocalService } from '../../../src/runtime/local/service.ts';
import { eventually } from '../../support/eventually.ts';

// The service as `npm start` runs it (HTTP server, SQLite, the links stream, the visit-counter
// processor and its retry worker in process), with its log lines captured in memory.
const logs = memoryDestination();
let service: LocalService;
let dataDir: string;
let url: string;

const records = () => logs.records();
const withId = (id: string) => records().filter((r) => r['x-correlation-id'] === id);

async function createLink(): Promise<string> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: `https://example.com/${randomUUID()}` }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { code: string }).code;
}

async function visit(code: string, headers: Record<string, string>): Promise<void> {
  const res = await fetch(`${url}/${code}`, { headers, redirect: 'manual' });
  expect(res.status).toBe(308);
  expect(res.headers.get('x-correlation-id')).toBe(headers['x-correlation-id']);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'shortline-trace-'));
  const config = loadConfig({
    env: {},
    overrides: { host: '127.0.0.1', port: 0, dataDir, createRateLimit: 0, logLevel: 'info' },
  });
  const observability = createObservability({
    name: 'shortline',
    level: 'info',
    // No request is sampled unless it says so, so debug lines prove the header travelled.
    env: { DEBUG_SAMPLE_RATE: '0', METRICS_FORMAT: 'none' },
    destination: logs,
    prometheus: true,
    flushIntervalMs: 50,
  });
  service = await startLocalService(config, { observability });
  url = service.url ?? '';
});

afterAll(async () => {
  await service?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('one visit, followed by its correlation id', () => {
  it('an unsampled visit: its request line and the visit-counter line carry the id, nothing at debug', async () => {
    const code = await createLink();
    const id = `trace-${randomUUID()}`;
    await visit(code, { 'x-correlation-id': id, 'user-agent': 'trace-test/1' });
    // The visit is counted (so the processor has handled the record)...
    await eventually(async () => {
      const res = await fetch(`${url}/api/links/${code}`);
      expect(((await res.json()) as { visits: number }).visits).toBe(1);
    });
    expect(withId(id).find((r) => r.msg === 'request')).toMatchObject({
      level: 'info',
      name: 'shortline',
      method: 'GET',
      route: '/:code',
      path: `/${code}`,
      status: 308,
      'user-agent': 'trace-test/1',
    });
    // ...the visit-counter's line for that visit carries the same id...
    await eventually(() =>
      expect(withId(id).find((r) => r.msg === 'visit counted')).toMatchObject({
        level: 'info',
        processor: 'visit-counter',
        shardId: expect.any(String),
        sequenceNumber: expect.stringMatching(/^\d+$/),
        code,
      }),
    );
    // ...and, not sampled, its per-record debug lines were not written.
    expect(withId(id).filter((r) => r.level === 'debug')).toEqual([]);
  });

  it('with debug-log-enabled: true the visit-counter logs at debug for that visit, with the id', async () => {
    const code = await createLink();
    const id = `debug-${randomUUID()}`;
    await visit(code, { 'x-correlation-id': id, 'debug-log-enabled': 'true' });
    await eventually(() =>
      expect(withId(id).map((r) => r.msg)).toEqual(
        expect.arrayContaining(['request', 'visit counted', 'record processed']),
      ),
    );
    const where = {
      processor: 'visit-counter',
      shardId: expect.any(String),
      sequenceNumber: expect.stringMatching(/^\d+$/),
      'debug-log-enabled': true,
    };
    expect(withId(id).find((r) => r.msg === 'visit counted')).toMatchObject({ ...where, code });
    expect(withId(id).find((r) => r.msg === 'record processed')).toMatchObject({
      ...where,
      level: 'debug',
      partitionKey: code,
    });
    expect(withId(id).find((r) => r.msg === 'request')).toMatchObject({
      'debug-log-enabled': true,
    });
  });

  it('a visit that goes through the retry queue keeps its id', async () => {
    const code = await createLink();
    // A second processor on the service's own links stream (same SQLite file, its own
    // checkpoint and retry queue) whose handler fails for this code until the retry worker
    // delivers the record: the in-process attempts fail, the record is queued, then handled.
    const storage = openStreamStorage(streamsFile(dataDir));
    const flaky = defineProcessor<{ code?: string }>({
      name: 'trace-retry',
      stream: 'links',
      policy: { kind: 'retry', retries: 1, budgetMs: 500, maxReceives: 3 },
      handler: (record, ctx) => {
        if (record.data.code === code && ctx.attempt <= 2) throw new Error('injected failure');
      },
    });
    const running = await startProcessors([flaky], {
      ...storage,
      logger: createLogger({ destination: logs, name: 'trace-retry', level: 'info' }),
      pollMs: 50,
    });
    try {
      const id = `retry-${randomUUID()}`;
      await visit(code, { 'x-correlation-id': id });
      await eventually(
        () => expect(withId(id).map((r) => r.msg)).toContain('retried record processed'),
        { timeoutMs: 15_000 },
      );
      expect(withId(id).map((r) => `${r.name}:${r.level}:${r.msg}`)).toEqual(
        expect.arrayContaining([
          'shortline:info:request',
          'trace-retry:warn:record failed; moved to the retry queue',
          'trace-retry:info:retried record processed',
        ]),
      );
      // Every processor line about this record names processor, shard and sequence number.
      for (const line of withId(id).filter((r) => r.name === 'trace-retry')) {
        expect(line).toMatchObject({
          processor: flaky.name,
          shardId: expect.any(String),
          sequenceNumber: expect.stringMatching(/^\d+$/),
        });
      }
    } finally {
      await running.stop();
      await storage.close();
    }
  });

  it('100 interleaved visits with different ids never mix ids, through the stream too', async () => {
    const codes = await Promise.all(Array.from({ length: 10 }, () => createLink()));
    const visits = Array.from({ length: 100 }, (_, i) => ({
      id: `many-${i}-${randomUUID()}`,
      code: codes[i % codes.length] ?? '',
    }));
    // Sampled, so the visit counter writes its per-visit line for each of them.
    await Promise.all(
      visits.map((v) => visit(v.code, { 'x-correlation-id': v.id, 'debug-log-enabled': 'true' })),
    );
    await eventually(() => {
      for (const v of visits) expect(withId(v.id).map((r) => r.msg)).toContain('visit counted');
    });
    for (const v of visits) {
      const lines = withId(v.id);
      // Exactly this visit's lines: its request and its count, both about its code.
      expect(lines.map((r) => r.msg).sort()).toEqual([
        'record processed',
        'request',
        'visit counted',
      ]);
      expect(lines.find((r) => r.msg === 'request')?.path).toBe(`/${v.code}`);
      expect(lines.find((r) => r.msg === 'visit counted')?.code).toBe(v.code);
    }
  });

  it('serves the metrics of all this at GET /metrics', async () => {
    // The value of one Prometheus sample, by its exact name and labels.
    const sample = (text: string, series: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
    };
    const processor = 'processor="visit-counter",service="shortline"';
    await eventually(async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      expect(sample(text, 'shortener_redirects_total{service="shortline"}')).toBe(103);
      expect(sample(text, 'shortener_links_created_total{service="shortline"}')).toBe(13);
      expect(
        sample(
          text,
          'http_request_latency_seconds_count{method="GET",route="/:code",service="shortline",status="308"}',
        ),
      ).toBe(103);
      expect(sample(text, `stream_processed_total{${processor}}`)).toBeGreaterThanOrEqual(103);
      expect(sample(text, `stream_failed_total{${processor}}`)).toBeNaN(); // none failed
      expect(text).toMatch(
        /^stream_lag\{processor="visit-counter",service="shortline",shard="[^"]+"\} \d+$/m,
      );
      expect(sample(text, 'shortener_cache_hits_total{service="shortline"}')).toBeGreaterThan(0);
      expect(sample(text, 'shortener_cache_hit_rate{service="shortline"}')).toBeGreaterThan(0);
    });
  });
});
