import { describe, expect, it } from 'vitest';
import {
  CONTEXT_ATTRIBUTE,
  contextFromAttributes,
  newContext,
  runWithContext,
} from '../../src/kit/context/index.ts';
import type { StreamLog } from '../../src/kit/stream/ports.ts';
import { compareSequence } from '../../src/kit/stream/types.ts';

/** A fresh stream of `shards` shards on a test target. */
export type StreamLogFactory = (shards: number) => Promise<{ log: StreamLog; stream: string }>;

/**
 * What every StreamLog (producer and reader) must do, typed against the port only.
 *
 * @example
 * streamLogContract('kinesalite', async (shards) => ({ log, stream: await createStream(shards) }));
 */
export function streamLogContract(name: string, factory: StreamLogFactory): void {
  describe(`StreamLog contract: ${name}`, () => {
    it('returns one result per record, in input order, and reads them back per shard in order', async () => {
      const { log, stream } = await factory(2);
      const records = Array.from({ length: 40 }, (_, i) => ({
        partitionKey: `k${i % 5}`,
        data: { i },
      }));
      const results = await log.append(stream, records);
      expect(results).toHaveLength(40);
      const shards = await log.shards(stream);
      expect(shards).toHaveLength(2);
      const read = new Map<string, number>();
      for (const shard of shards) {
        const batch = await log.read(stream, shard, { limit: 100 });
        for (let i = 1; i < batch.length; i++) {
          expect(
            compareSequence(batch[i - 1]?.sequenceNumber ?? '', batch[i]?.sequenceNumber ?? ''),
          ).toBe(-1);
        }
        for (const record of batch) {
          expect(record).toMatchObject({ stream, shardId: shard });
          read.set(`${shard}/${record.sequenceNumber}`, (record.data as { i: number }).i);
        }
      }
      for (const [i, result] of results.entries()) {
        expect(read.get(`${result.shardId}/${result.sequenceNumber}`)).toBe(i);
      }
    });

    it('keeps one partition key on one shard, in order', async () => {
      const { log, stream } = await factory(2);
      const results = await log.append(
        stream,
        [1, 2, 3].map((n) => ({ partitionKey: 'same', data: n })),
      );
      expect(new Set(results.map((r) => r.shardId)).size).toBe(1);
      const shard = results[0]?.shardId ?? '';
      const read = await log.read(stream, shard, { limit: 10 });
      expect(read.filter((r) => r.partitionKey === 'same').map((r) => r.data)).toEqual([1, 2, 3]);
    });

    it('reads strictly after a sequence number and honours the limit', async () => {
      const { log, stream } = await factory(1);
      const results = await log.append(
        stream,
        [1, 2, 3, 4].map((n) => ({ partitionKey: 'p', data: n })),
      );
      const [shard = ''] = await log.shards(stream);
      expect(
        (await log.read(stream, shard, { after: results[1]?.sequenceNumber ?? '', limit: 10 })).map(
          (r) => r.data,
        ),
      ).toEqual([3, 4]);
      expect((await log.read(stream, shard, { limit: 2 })).map((r) => r.data)).toEqual([1, 2]);
      expect(
        await log.read(stream, shard, { after: results[3]?.sequenceNumber ?? '', limit: 10 }),
      ).toEqual([]);
    });

    it('carries attributes and the current correlation context in one attribute', async () => {
      const { log, stream } = await factory(1);
      const context = newContext(true);
      await runWithContext(context, () =>
        log.append(stream, [{ partitionKey: 'p', data: { x: 1 }, attributes: { extra: 'yes' } }]),
      );
      const [shard = ''] = await log.shards(stream);
      const [record] = await log.read(stream, shard, { limit: 1 });
      expect(record?.attributes.extra).toBe('yes');
      expect(record?.attributes[CONTEXT_ATTRIBUTE]).toBeDefined();
      expect(contextFromAttributes(record?.attributes)).toEqual(context);
      expect(record?.arrivedAt).toBeGreaterThan(Date.now() - 60_000);
    });

    it('appends nothing for an empty batch and rejects unknown streams', async () => {
      const { log, stream } = await factory(1);
      expect(await log.append(stream, [])).toEqual([]);
      await expect(log.shards(`${stream}-missing`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
}
