import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashKeyOf, rangeStart, shardFor, shardIdOf, shardIndexOf } from './stream-shards.ts';

describe('partition key to shard', () => {
  it('hashes with MD5 as a 128-bit integer, as Kinesis does', () => {
    // md5('a') = 0cc175b9c0f1b6a831c399e269772661
    expect(hashKeyOf('a')).toBe(0x0cc175b9c0f1b6a831c399e269772661n);
  });

  it('puts every key in the hash range of its shard', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (key, count) => {
        const index = shardFor(key, count);
        const hash = hashKeyOf(key);
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(count);
        expect(hash >= rangeStart(BigInt(index), BigInt(count))).toBe(true);
        if (index + 1 < count)
          expect(hash < rangeStart(BigInt(index + 1), BigInt(count))).toBe(true);
      }),
    );
  });

  it('names shards as Kinesis does and parses them back', () => {
    expect(shardIdOf(3)).toBe('shardId-000000000003');
    expect(shardIndexOf('shardId-000000000003', 4)).toBe(3);
    expect(shardIndexOf('shardId-000000000004', 4)).toBeUndefined();
    expect(shardIndexOf('nope', 4)).toBeUndefined();
  });
});
