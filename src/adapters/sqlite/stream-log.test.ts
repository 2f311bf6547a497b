import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTEXT_ATTRIBUTE, newContext, runWithContext } from '../../kit/context/index.ts';
import { openStreamStorage, type SqliteStreamStorage } from './stream-storage.ts';

let storage: SqliteStreamStorage;

beforeEach(() => {
  storage = openStreamStorage(':memory:');
  storage.log.createStream('s', { shards: 4, retentionMs: 1_000 });
});
afterEach(() => storage.close());

describe('SqliteStreamLog', () => {
  it('keeps one partition key on one shard with increasing sequence numbers', async () => {
    const results = await storage.log.append(
      's',
      Array.from({ length: 5 }, (_, i) => ({ partitionKey: 'same', data: { i } })),
    );
    expect(new Set(results.map((r) => r.shardId)).size).toBe(1);
    expect(results.map((r) => r.sequenceNumber)).toEqual(['1', '2', '3', '4', '5']);
    const shardId = results[0]?.shardId as string;
    const read = await storage.log.read('s', shardId, { after: '2', limit: 10 });
    expect(read.map((r) => r.data)).toEqual([{ i: 2 }, { i: 3 }, { i: 4 }]);
    expect(read[0]).toMatchObject({ stream: 's', shardId, partitionKey: 'same', attributes: {} });
  });

  it('spreads keys over all shards', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => ({ partitionKey: `k${i}`, data: i }));
    const results = await storage.log.append('s', keys);
    expect(new Set(results.map((r) => r.shardId)).size).toBe(4);
  });

  it('adds the current correlation context to the attributes', async () => {
    const context = newContext();
    await runWithContext(context, () =>
      storage.log.append('s', [{ partitionKey: 'k', data: 1, attributes: { extra: 'x' } }]),
    );
    const [shardId] = await storage.log.shards('s');
    const all = await Promise.all(
      (await storage.log.shards('s')).map((id) => storage.log.read('s', id, { limit: 10 })),
    );
    const record = all.flat()[0];
    expect(shardId).toBeDefined();
    expect(record?.attributes.extra).toBe('x');
    expect(record?.attributes[CONTEXT_ATTRIBUTE]).toContain(
      context.correlationIds['x-correlation-id'],
    );
  });

  it('trims records past retention without ever reusing a sequence number', async () => {
    const [first] = await storage.log.append('s', [{ partitionKey: 'k', data: 1 }]);
    expect(storage.log.trim(Date.now() + 2_000)).toBe(1);
    const [second] = await storage.log.append('s', [{ partitionKey: 'k', data: 2 }]);
    expect(second?.shardId).toBe(first?.shardId);
    expect(Number(second?.sequenceNumber)).toBeGreaterThan(Number(first?.sequenceNumber));
    const read = await storage.log.read('s', second?.shardId as string, { limit: 10 });
    expect(read.map((r) => r.data)).toEqual([2]);
  });

  it('wakes a waiting consumer on commit', async () => {
    const [shardId] = await storage.log.append('s', [{ partitionKey: 'k', data: 0 }]);
    const started = Date.now();
    const waiting = storage.log.waitForRecords('s', shardId?.shardId as string, '1', 10_000);
    setTimeout(() => void storage.log.append('s', [{ partitionKey: 'k', data: 1 }]), 5);
    await waiting;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects unknown streams and shards', async () => {
    await expect(storage.log.append('nope', [{ partitionKey: 'k', data: 1 }])).rejects.toThrow(
      /nope/,
    );
    await expect(storage.log.read('s', 'shardId-000000000009', { limit: 1 })).rejects.toThrow(
      /shard/,
    );
  });
});

describe('SqliteRetryQueue', () => {
  const record = {
    stream: 's',
    shardId: 'x',
    sequenceNumber: '1',
    partitionKey: 'k',
    data: 1,
    attributes: {},
    arrivedAt: 0,
  };
  const error = { name: 'Error', message: 'boom' };

  it('hides received messages and counts receives', async () => {
    await storage.retryQueue.send({ processor: 'p', record, error, attempts: 3 });
    const [message] = await storage.retryQueue.receive('p', { max: 10, visibilityMs: 60_000 });
    expect(message).toMatchObject({ record, error, attempts: 3, receives: 1 });
    expect(await storage.retryQueue.receive('p', { max: 10, visibilityMs: 60_000 })).toEqual([]);
    await storage.retryQueue.release('p', message?.receipt as string, {
      error,
      attempts: 4,
      delayMs: 0,
    });
    const [again] = await storage.retryQueue.receive('p', { max: 10, visibilityMs: 0 });
    expect(again).toMatchObject({ attempts: 4, receives: 2 });
    // The first receipt is stale after a second delivery: deleting with it does nothing.
    await storage.retryQueue.delete('p', message?.receipt as string);
    expect(await storage.retryQueue.depth('p')).toBe(1);
    await storage.retryQueue.delete('p', again?.receipt as string);
    expect(await storage.retryQueue.depth('p')).toBe(0);
  });
});

describe('SqliteCheckpointStore', () => {
  it('never moves a checkpoint backwards', async () => {
    const key = { processor: 'p', stream: 's', shardId: 'x' };
    await storage.checkpoints.save(key, '10');
    await storage.checkpoints.save(key, '9');
    expect(await storage.checkpoints.load(key)).toBe('10');
    await storage.checkpoints.save(key, '100');
    expect(await storage.checkpoints.load(key)).toBe('100');
  });
});
