import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, memoryDestination } from '../../src/kit/log/index.ts';
import { createMetrics, type MetricPoint } from '../../src/kit/metrics/index.ts';
import { type LocalStreams, startLocalStreams } from '../../src/runtime/local/streams.ts';
import { eventually } from '../support/eventually.ts';

let dataDir: string;
let streams: LocalStreams;
const logs = memoryDestination();
const points: MetricPoint[] = [];
const metrics = createMetrics({
  sinks: [{ write: (written) => void points.push(...written) }],
  flushIntervalMs: 50,
});

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'shortline-stream-worker-'));
  const logger = createLogger({ destination: logs, level: 'info' });
  streams = await startLocalStreams({ dataDir, logger, logLevel: 'info', metrics });
});

afterAll(async () => {
  await streams?.close();
  await metrics.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const visit = (code: string) =>
  streams.events.publish({ type: 'link.visited', code, at: new Date().toISOString() });

describe('the stream worker of the local service', () => {
  it('counts visits published on the main thread, and its lines reach the main logger', async () => {
    visit('w0rker');
    visit('w0rker');
    await eventually(async () => expect(await streams.stats.visits('w0rker')).toBe(2));
    // The worker's lines cross to this thread once per worker turn, which can be after the
    // count is committed and readable here.
    await eventually(() =>
      expect(
        logs.records().filter((r) => r.msg === 'visit counted' && r.code === 'w0rker'),
      ).toHaveLength(2),
    );
  });

  it("hands the processors' metrics to the main thread's recorder", async () => {
    visit('measured');
    await eventually(
      () => {
        const processed = points.filter((p) => p.name === 'stream.processed');
        expect(processed.reduce((sum, p) => sum + p.value, 0)).toBeGreaterThanOrEqual(3);
        expect(processed[0]?.dimensions).toMatchObject({ processor: 'visit-counter' });
      },
      { timeoutMs: 5_000 },
    );
    expect(logs.records().filter((r) => r.msg === 'metrics sink failed')).toEqual([]);
  });

  it('is restarted after it dies, and counting goes on from its checkpoint', async () => {
    const first = streams.worker();
    expect(first).toBeDefined();
    await first?.terminate();
    await eventually(
      () => {
        expect(streams.worker()).toBeDefined();
        expect(streams.worker()).not.toBe(first);
        expect(logs.records().map((r) => r.msg)).toEqual(
          expect.arrayContaining(['stream worker stopped; restarting', 'stream worker restarted']),
        );
      },
      { timeoutMs: 10_000 },
    );
    visit('after-restart');
    await eventually(async () => expect(await streams.stats.visits('after-restart')).toBe(1));
    // Nothing counted before the restart is counted again.
    expect(await streams.stats.visits('w0rker')).toBe(2);
  });

  it('refuses to start on a streams.db that is not a database, saying so', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'shortline-stream-worker-bad-'));
    try {
      mkdirSync(bad, { recursive: true });
      writeFileSync(join(bad, 'streams.db'), 'not a database, only text long enough for a header');
      const logger = createLogger({ level: 'silent' });
      await expect(startLocalStreams({ dataDir: bad, logger, logLevel: 'info' })).rejects.toThrow(
        /the stream worker could not start: .*streams\.db: file is not a database/,
      );
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
