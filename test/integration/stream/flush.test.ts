import { afterEach, describe, expect, it } from 'vitest';
import {
  type CheckpointKey,
  defineProcessor,
  startProcessors,
} from '../../../src/kit/stream/index.ts';
import { eventually } from '../../support/eventually.ts';
import { tempStorage } from './helpers.ts';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

describe('a processor that buffers its effects', () => {
  it('is flushed before every checkpoint write, and a failed flush replays from the saved checkpoint', async () => {
    const t = tempStorage();
    cleanup = t.cleanup;
    const { storage } = t;
    storage.log.createStream('buffered', { shards: 1 });
    let buffer: number[] = [];
    const durable = new Set<number>();
    let failNextFlush = true;
    const violations: string[] = [];
    const checkpoints = {
      load: (key: CheckpointKey) => storage.checkpoints.load(key),
      async save(key: CheckpointKey, seq: string) {
        for (let n = 1; n <= Number(seq); n++)
          if (!durable.has(n)) violations.push(`${seq} before ${n} was durable`);
        await storage.checkpoints.save(key, seq);
      },
    };
    const processor = defineProcessor<number>({
      name: 'buffered',
      stream: 'buffered',
      policy: { kind: 'skip' },
      batchSize: 10,
      handler: (record) => {
        buffer.push(Number(record.sequenceNumber));
      },
      flush: () => {
        if (failNextFlush) {
          failNextFlush = false;
          buffer = []; // the worst case: the failed flush lost its buffer
          throw new Error('disk full');
        }
        for (const n of buffer) durable.add(n);
        buffer = [];
      },
    });
    const running = await startProcessors([processor], { ...storage, checkpoints, pollMs: 20 });
    try {
      await storage.log.append(
        'buffered',
        Array.from({ length: 35 }, (_, i) => ({ partitionKey: 'k', data: i })),
      );
      const key = { processor: 'buffered', stream: 'buffered', shardId: 'shardId-000000000000' };
      await eventually(async () => expect(await storage.checkpoints.load(key)).toBe('35'));
    } finally {
      await running.stop();
    }
    expect(failNextFlush).toBe(false);
    expect(violations).toEqual([]);
    expect(durable.size).toBe(35);
  });
});
