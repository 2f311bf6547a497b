/**
 * Partition key → shard, as Kinesis does it: the MD5 of the key read as a 128-bit unsigned
 * integer, and the 2^128 hash space split into equal, contiguous ranges, one per shard.
 */
import { createHash } from 'node:crypto';

const HASH_SPACE = 1n << 128n;

/** Kinesis-style shard id for an index: `shardId-000000000003`. */
export function shardIdOf(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

/** The index back from a shard id; undefined when it is not one of ours. */
export function shardIndexOf(shardId: string, shardCount: number): number | undefined {
  const match = /^shardId-(\d{12})$/.exec(shardId);
  if (!match?.[1]) return undefined;
  const index = Number(match[1]);
  return index < shardCount ? index : undefined;
}

/** The 128-bit MD5 hash key of a partition key, as Kinesis computes it. */
export function hashKeyOf(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/**
 * The shard index owning `partitionKey` when the hash space is split evenly in `shardCount`.
 *
 * @example
 * shardFor('Xk9aQ2', 4); // 0..3
 */
export function shardFor(partitionKey: string, shardCount: number): number {
  if (shardCount === 1) return 0;
  const key = hashKeyOf(partitionKey);
  const count = BigInt(shardCount);
  // Range i starts at floor(i * space / count), as Kinesis splits a new stream. The floor
  // division is off by at most one below a boundary, so check the next range's start.
  let index = (key * count) / HASH_SPACE;
  if (index + 1n < count && key >= rangeStart(index + 1n, count)) index += 1n;
  return Number(index);
}

/** The first hash key of range `index` when the space is split in `count` ranges. */
export function rangeStart(index: bigint, count: bigint): bigint {
  return (index * HASH_SPACE) / count;
}
