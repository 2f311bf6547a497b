import type { LinkStats } from '../../shortener/ports.ts';
import type { VisitLedger, VisitPosition } from '../../shortener/visit-counter.ts';
import type { SqliteDatabase } from './database.ts';

/**
 * Visit counts on SQLite. Each counted record's position (stream, shard, sequence number) is
 * stored in the same transaction as the count, so a replayed record is recognised and never
 * counted twice, whatever order the stream and the retry queue deliver in. Positions older
 * than the stream's retention can never come back and are trimmed.
 *
 * @example
 * const stats = new SqliteVisitStats(openDatabase('./data/streams.db'));
 * await stats.visits('Xk9aQ2'); // 0
 */
export class SqliteVisitStats implements LinkStats, VisitLedger {
  readonly #count;
  readonly #visits;
  readonly #trim;

  constructor(db: SqliteDatabase) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS link_visits (
        code TEXT PRIMARY KEY,
        visits INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS link_visits_counted (
        stream TEXT NOT NULL,
        shard_id TEXT NOT NULL,
        seq TEXT NOT NULL,
        counted_at INTEGER NOT NULL,
        PRIMARY KEY (stream, shard_id, seq)
      ) WITHOUT ROWID;
    `);
    const mark = db.prepare<[string, string, string, number]>(
      'INSERT INTO link_visits_counted (stream, shard_id, seq, counted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    const add = db.prepare<[string]>(
      'INSERT INTO link_visits (code, visits) VALUES (?, 1) ON CONFLICT DO UPDATE SET visits = visits + 1',
    );
    this.#count = db.transaction((code: string, p: VisitPosition) => {
      if (mark.run(p.stream, p.shardId, p.sequenceNumber, Date.now()).changes === 0) return false;
      add.run(code);
      return true;
    });
    this.#visits = db.prepare<[string], { visits: number }>(
      'SELECT visits FROM link_visits WHERE code = ?',
    );
    this.#trim = db.prepare<[number]>('DELETE FROM link_visits_counted WHERE counted_at < ?');
  }

  async visits(code: string): Promise<number> {
    return this.#visits.get(code)?.visits ?? 0;
  }

  async countVisit(code: string, position: VisitPosition): Promise<boolean> {
    return this.#count(code, position);
  }

  /** Forget positions counted before `before` (epoch ms); returns how many. */
  trim(before: number): number {
    return this.#trim.run(before).changes;
  }
}
