import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openStreamStorage,
  type SqliteStreamStorage,
} from '../../../src/adapters/sqlite/stream-storage.ts';
import type { Backoff } from '../../../src/kit/stream/index.ts';

/** Backoff that keeps tests fast but still goes through the timers. */
export const FAST: Backoff = { initialMs: 1, factor: 2, maxMs: 20, jitter: 'none' };

/** A fresh streams file in its own temp directory; `cleanup` closes and removes it. */
export function tempStorage(): { storage: SqliteStreamStorage; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'shortline-stream-'));
  const storage = openStreamStorage(join(dir, 'streams.db'));
  return {
    storage,
    dir,
    cleanup: () => {
      storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every record of a stream, all shards, in shard then sequence order. */
export async function readAll(storage: SqliteStreamStorage, stream: string) {
  const shards = await storage.log.shards(stream);
  const batches = await Promise.all(
    shards.map((shardId) => storage.log.read(stream, shardId, { limit: 1_000_000 })),
  );
  return batches.flat();
}
