import { afterEach, describe, expect, it } from 'vitest';
import {
  defineProcessor,
  processorStatus,
  type RunningProcessors,
  redrive,
  startProcessors,
} from '../../../src/kit/stream/index.ts';
import { eventually } from '../../support/eventually.ts';
import { FAST, tempStorage } from './helpers.ts';

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

function setup(shards = 1) {
  const t = tempStorage();
  t.storage.log.createStream('orders', { shards });
  cleanup.push(t.cleanup);
  return t.storage;
}

async function start(
  storage: ReturnType<typeof setup>,
  processors: Parameters<typeof startProcessors>[0],
) {
  const running: RunningProcessors = await startProcessors(processors, { ...storage, pollMs: 50 });
  cleanup.push(() => running.stop());
  return running;
}

describe('a poison record under the retry policy', () => {
  it('ends in dead letters with its data, error and attempts while the rest keep flowing; redrive after a fix processes it', async () => {
    const storage = setup(2);
    const handled: number[] = [];
    let fixed = false;
    const processor = defineProcessor<{ n: number }>({
      name: 'orders-poison',
      stream: 'orders',
      policy: { kind: 'retry', retries: 2, budgetMs: 1_000, maxReceives: 2, backoff: FAST },
      handler: (record) => {
        if (record.data.n === 3 && !fixed) throw new TypeError('cannot read n=3');
        handled.push(record.data.n);
      },
    });
    await start(storage, [processor]);
    await storage.log.append(
      'orders',
      Array.from({ length: 20 }, (_, n) => ({ partitionKey: `order-${n % 5}`, data: { n } })),
    );

    const [letter] = await eventually(async () => {
      const letters = await storage.deadLetters.list({ processor: 'orders-poison' });
      expect(letters).toHaveLength(1);
      return letters;
    });
    expect(letter?.record.data).toEqual({ n: 3 });
    expect(letter?.record.partitionKey).toBe('order-3');
    expect(letter?.error).toMatchObject({ name: 'TypeError', message: 'cannot read n=3' });
    // 3 in process (1 + 2 retries), then one per retry-queue delivery (2).
    expect(letter?.attempts).toBe(5);
    expect(letter?.receives).toBe(2);
    const others = Array.from({ length: 20 }, (_, n) => n).filter((n) => n !== 3);
    await eventually(() => expect([...handled].sort((a, b) => a - b)).toEqual(others));
    await eventually(async () => {
      const [status] = await processorStatus(storage);
      expect(status).toMatchObject({
        processed: 19,
        failed: 1,
        queued: 1,
        deadLettered: 1,
        dlqDepth: 1,
        lagMs: 0,
      });
    });

    fixed = true;
    await redrive(storage, letter?.id as string);
    await eventually(() => expect(handled).toContain(3));
    expect(await storage.deadLetters.depth('orders-poison')).toBe(0);
    await eventually(async () => expect(await storage.retryQueue.depth('orders-poison')).toBe(0));
  });

  it('goes straight to dead letters on a NonRetryableError', async () => {
    const storage = setup();
    const { NonRetryableError } = await import('../../../src/kit/stream/index.ts');
    let calls = 0;
    await start(storage, [
      defineProcessor({
        name: 'strict',
        stream: 'orders',
        policy: { kind: 'retry', backoff: FAST },
        handler: () => {
          calls++;
          throw new NonRetryableError('bad data');
        },
      }),
    ]);
    await storage.log.append('orders', [{ partitionKey: 'k', data: 1 }]);
    await eventually(async () => expect(await storage.deadLetters.depth('strict')).toBe(1));
    expect(calls).toBe(1);
  });
});

describe('the halt policy', () => {
  it('stops the shard at the failing record and resumes in order once it succeeds', async () => {
    const storage = setup();
    const handled: number[] = [];
    let failures = 0;
    let fixed = false;
    await start(storage, [
      defineProcessor<number>({
        name: 'orders-halt',
        stream: 'orders',
        policy: { kind: 'halt', backoff: FAST },
        handler: (record) => {
          if (record.data === 2 && !fixed) {
            failures++;
            throw new Error('downstream unavailable');
          }
          handled.push(record.data);
        },
      }),
    ]);
    await storage.log.append(
      'orders',
      Array.from({ length: 6 }, (_, n) => ({ partitionKey: `k${n}`, data: n })),
    );
    await eventually(() => expect(failures).toBeGreaterThanOrEqual(5));
    expect(handled).toEqual([0, 1]);
    const [shardId] = await storage.log.shards('orders');
    const key = { processor: 'orders-halt', stream: 'orders', shardId: shardId as string };
    expect(await storage.checkpoints.load(key)).toBe('2'); // records 0 and 1 are seq 1 and 2
    const [status] = await processorStatus(storage);
    expect(status?.failed).toBe(1);
    expect(status?.lagMs).toBeGreaterThanOrEqual(0);

    fixed = true;
    await eventually(() => expect(handled).toEqual([0, 1, 2, 3, 4, 5]));
    await eventually(async () => expect(await storage.checkpoints.load(key)).toBe('6'));
    expect(await storage.deadLetters.depth()).toBe(0);
  });

  it('dead-letters a record older than maxRecordAge and moves on', async () => {
    const storage = setup();
    const handled: number[] = [];
    await start(storage, [
      defineProcessor<number>({
        name: 'orders-aged',
        stream: 'orders',
        policy: { kind: 'halt', maxRecordAgeMs: 100, backoff: FAST },
        handler: (record) => {
          if (record.data === 0) throw new Error('always');
          handled.push(record.data);
        },
      }),
    ]);
    await storage.log.append(
      'orders',
      [0, 1, 2].map((n) => ({ partitionKey: 'k', data: n })),
    );
    await eventually(() => expect(handled).toEqual([1, 2]));
    const [letter] = await storage.deadLetters.list({ processor: 'orders-aged' });
    expect(letter?.record.data).toBe(0);
    expect(letter?.attempts).toBeGreaterThan(1);
  });
});

describe('the skip policy', () => {
  it('logs, counts and drops a failing record', async () => {
    const storage = setup();
    const handled: number[] = [];
    const warnings: unknown[] = [];
    const logger = {
      debug() {},
      info() {},
      error() {},
      warn: (obj: unknown) => warnings.push(obj),
    };
    const running = await startProcessors(
      [
        defineProcessor<number>({
          name: 'orders-skip',
          stream: 'orders',
          policy: { kind: 'skip' },
          handler: (record) => {
            if (record.data === 1) throw new Error('nope');
            handled.push(record.data);
          },
        }),
      ],
      { ...storage, logger, pollMs: 50 },
    );
    cleanup.push(() => running.stop());
    await storage.log.append(
      'orders',
      [0, 1, 2].map((n) => ({ partitionKey: 'k', data: n })),
    );
    await eventually(() => expect(handled).toEqual([0, 2]));
    expect(warnings[0]).toMatchObject({
      processor: 'orders-skip',
      sequenceNumber: '2',
      shardId: 'shardId-000000000000',
    });
    await eventually(async () =>
      expect((await processorStatus(storage))[0]).toMatchObject({
        processed: 2,
        failed: 1,
        dlqDepth: 0,
      }),
    );
  });
});
