import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.ts';
import { startProcessors } from '../../kit/stream/index.ts';
import { visitCounterProcessor } from '../../shortener/visit-counter.ts';
import { openStreamStorage, type SqliteStreamStorage } from './stream-storage.ts';
import { SqliteVisitStats } from './visit-stats.ts';

let storage: SqliteStreamStorage;
let stats: SqliteVisitStats;
beforeEach(() => {
  storage = openStreamStorage(':memory:');
  stats = new SqliteVisitStats(storage.db);
});
afterEach(() => storage.close());

describe('SqliteVisitStats', () => {
  it('counts a position once, however often it is replayed', async () => {
    const position = { stream: 'links', shardId: 'shardId-000000000000', sequenceNumber: '7' };
    expect(await stats.countVisit('abc', position)).toBe(true);
    expect(await stats.countVisit('abc', position)).toBe(false);
    expect(await stats.countVisit('abc', { ...position, sequenceNumber: '8' })).toBe(true);
    expect(await stats.visits('abc')).toBe(2);
    expect(await stats.visits('other')).toBe(0);
  });

  it('keeps counts exact when the whole stream is replayed from the start', async () => {
    storage.log.createStream('links', { shards: 2 });
    const visits = ['a', 'b', 'a', 'c', 'a'].map((code) => ({
      partitionKey: code,
      data: { type: 'link.visited', code, at: new Date().toISOString() },
    }));
    await storage.log.append('links', [
      {
        partitionKey: 'a',
        data: { type: 'link.created', code: 'a', url: 'https://x.test', at: '' },
      },
      ...visits,
    ]);
    for (let replay = 0; replay < 2; replay++) {
      // Forget the checkpoints: the second pass sees every record again.
      storage.db.exec('DELETE FROM stream_checkpoints');
      const running = await startProcessors([visitCounterProcessor(stats)], {
        ...storage,
        pollMs: 20,
      });
      await eventually(async () => {
        const rows = await storage.stats.list();
        expect(rows[0]?.counters.processed).toBe(6 * (replay + 1));
      });
      await running.stop();
      expect([await stats.visits('a'), await stats.visits('b'), await stats.visits('c')]).toEqual([
        3, 1, 1,
      ]);
    }
  });
});
