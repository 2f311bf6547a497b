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
  it('counts a position once, however often it is replayed, and only once flushed', async () => {
    const position = { stream: 'links', shardId: 'shardId-000000000000', sequenceNumber: '7' };
    stats.countVisit('abc', position);
    stats.countVisit('abc', position);
    expect(await stats.visits('abc')).toBe(0);
    expect(stats.flush()).toBe(1);
    stats.countVisit('abc', position);
    stats.countVisit('abc', { ...position, sequenceNumber: '8' });
    expect(stats.flush()).toBe(1);
    expect(await stats.visits('abc')).toBe(2);
    expect(await stats.visits('other')).toBe(0);
  });

  it('keeps the buffer when a flush fails', async () => {
    stats.countVisit('abc', { stream: 'links', shardId: 's', sequenceNumber: '1' });
    storage.db.exec('DROP TABLE link_visits');
    expect(() => stats.flush()).toThrow();
    storage.db.exec('CREATE TABLE link_visits (code TEXT PRIMARY KEY, visits INTEGER NOT NULL)');
    expect(stats.flush()).toBe(1);
    expect(await stats.visits('abc')).toBe(1);
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
