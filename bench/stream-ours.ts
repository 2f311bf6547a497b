// The embedded SQLite stream under the three loads of `npm run bench:stream`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openStreamStorage,
  type SqliteStreamStorage,
} from '../src/adapters/sqlite/stream-storage.ts';
import { defineProcessor, type Processor, startProcessors } from '../src/kit/stream/index.ts';

export interface Fixture {
  storage: SqliteStreamStorage;
  close(): Promise<void>;
}

// BENCH_WAL=inline leaves SQLite's automatic checkpoint on the commit path, for comparison.
const offloadWalCheckpoints = process.env.BENCH_WAL !== 'inline';

/** A fresh streams file with one single-shard stream `bench`. */
export function fixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'shortline-bench-'));
  const storage = openStreamStorage(join(dir, 'streams.db'), { offloadWalCheckpoints });
  storage.log.createStream('bench', { shards: 1 });
  return {
    storage,
    async close() {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const record = (i: number) => ({ partitionKey: `k${i % 1000}`, data: { i, at: 0 } });

/** Appends per second for `seconds`, `batch` records per append (one transaction each). */
export async function appendRate(batch: number, seconds: number): Promise<number> {
  const f = fixture();
  try {
    const records = Array.from({ length: batch }, (_, i) => record(i));
    const end = performance.now() + seconds * 1000;
    let n = 0;
    while (performance.now() < end) {
      f.storage.log.appendSync('bench', records);
      n += batch;
    }
    return n / seconds;
  } finally {
    await f.close();
  }
}

const noop = (name: string): Processor =>
  defineProcessor({ name, stream: 'bench', policy: { kind: 'skip' }, handler: () => {} });

/** Drain rate of `count` processors over `total` pre-appended records: records handled per second, all processors summed. */
export async function drainRate(
  processors: number,
  total: number,
  timeoutMs: number,
): Promise<number> {
  const f = fixture();
  try {
    for (let i = 0; i < total; i += 1000) {
      f.storage.log.appendSync(
        'bench',
        Array.from({ length: Math.min(1000, total - i) }, (_, j) => record(i + j)),
      );
    }
    const last = String(total);
    const list = Array.from({ length: processors }, (_, i) => noop(`drain-${i}`));
    const started = performance.now();
    const running = await startProcessors(list, { ...f.storage, retryWorkers: false });
    await waitUntil(async () => {
      for (const p of list) {
        const cp = await f.storage.checkpoints.load({
          processor: p.name,
          stream: 'bench',
          shardId: 'shardId-000000000000',
        });
        if (cp !== last) return false;
      }
      return true;
    }, timeoutMs);
    const seconds = (performance.now() - started) / 1000;
    await running.stop();
    return (processors * total) / seconds;
  } finally {
    await f.close();
  }
}

/** Append in batches of 100 while one no-op processor consumes, for `seconds`; records handled per second. */
export async function endToEndRate(seconds: number): Promise<number> {
  const f = fixture();
  try {
    let handled = 0;
    const p = defineProcessor({
      name: 'e2e',
      stream: 'bench',
      policy: { kind: 'skip' },
      handler: () => {
        handled++;
      },
    });
    const running = await startProcessors([p], { ...f.storage, retryWorkers: false });
    const records = Array.from({ length: 100 }, (_, i) => record(i));
    const started = performance.now();
    const end = started + seconds * 1000;
    let appended = 0;
    // Producer and consumer share the core: append a batch, then yield so the consumer runs.
    while (performance.now() < end) {
      f.storage.log.appendSync('bench', records);
      appended += 100;
      if (appended % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitUntil(async () => handled >= appended, 30_000);
    const rate = handled / ((performance.now() - started) / 1000);
    await running.stop();
    return rate;
  } finally {
    await f.close();
  }
}

/** Publish→handle latencies (ms) at `rate` records/s for `seconds`, with `processors` processors. */
export async function latencies(
  processors: number,
  rate: number,
  seconds: number,
): Promise<number[]> {
  const f = fixture();
  try {
    const samples: number[] = [];
    const list = Array.from({ length: processors }, (_, i) =>
      defineProcessor<{ at: number }>({
        name: `lat-${i}`,
        stream: 'bench',
        policy: { kind: 'skip' },
        handler: (r) => {
          samples.push(performance.now() - r.data.at);
        },
      }),
    );
    const running = await startProcessors(list, { ...f.storage, retryWorkers: false });
    await steady(rate, seconds, (i) =>
      f.storage.log.appendSync('bench', [
        { partitionKey: `k${i}`, data: { i, at: performance.now() } },
      ]),
    );
    await waitUntil(
      async () => samples.length >= processors * Math.floor(rate * seconds) * 0.99,
      10_000,
    );
    await running.stop();
    return samples;
  } finally {
    await f.close();
  }
}

/** Call `publish` `rate` times a second for `seconds`, catching up on late timers. */
export async function steady(
  rate: number,
  seconds: number,
  publish: (i: number) => unknown,
): Promise<void> {
  const interval = 1000 / rate;
  const total = Math.floor(rate * seconds);
  const start = performance.now();
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
    while (i < due) publish(i++);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, start + i * interval - performance.now())),
    );
  }
}

export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('bench phase did not finish in time');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
