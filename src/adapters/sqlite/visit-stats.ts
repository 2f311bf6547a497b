import type { LinkStats } from '../../shortener/ports.ts';
import type { VisitLedger, VisitPosition } from '../../shortener/visit-counter.ts';
import type { SqliteDatabase } from './database.ts';

/**
 * Visit counts on SQLite. Visits are buffered in memory and written by `flush` in one
 * transaction (the engine flushes before each checkpoint write), so a busy redirect path costs
 * one write per batch, not one per visit. Each counted record's position (stream, shard,
 * sequence number) is stored in the same transaction as the count, so a replayed record is
 * recognised and never counted twice, whatever order the stream and the retry queue deliver
 * in. Positions older than the stream's retention can never come back and are trimmed.
 *
 * @example
 * const stats = new SqliteVisitStats(openDatabase('./data/streams.db'));
 * await stats.visits('Xk9aQ2'); // 0
 */
export class SqliteVisitStats implements LinkStats, VisitLedger {
  readonly #count;
  readonly #visits;
  readonly #trim;
  #pending: Array<[string, VisitPosition]> = [];

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
    const add = db.prepare<[string, number, number]>(
      'INSERT INTO link_visits (code, visits) VALUES (?, ?) ON CONFLICT DO UPDATE SET visits = visits + ?',
    );
    this.#count = db.transaction((visits: ReadonlyArray<[string, VisitPosition]>) => {
      const now = Date.now();
      // One update per code and batch: hot links take most visits.
      const perCode = new Map<string, number>();
      for (const [code, p] of visits) {
        if (mark.run(p.stream, p.shardId, p.sequenceNumber, now).changes === 0) continue;
        perCode.set(code, (perCode.get(code) ?? 0) + 1);
      }
      let counted = 0;
      for (const [code, n] of perCode) {
        add.run(code, n, n);
        counted += n;
      }
      return counted;
    });
    this.#visits = db.prepare<[string], { visits: number }>(
      'SELECT visits FROM link_visits WHERE code = ?',
    );
    this.#trim = db.prepare<[number]>('DELETE FROM link_visits_counted WHERE counted_at < ?');
  }

  async visits(code: string): Promise<number> {
    return this.#visits.get(code)?.visits ?? 0;
  }

  countVisit(code: string, position: VisitPosition): void {
    const { stream, shardId, sequenceNumber } = position;
    this.#pending.push([code, { stream, shardId, sequenceNumber }]);
  }

  /**
   * Write the buffered visits in one transaction; returns how many were new. On failure the
   * buffer is kept for the next flush.
   */
  flush(): number {
    if (this.#pending.length === 0) return 0;
    const counted = this.#count(this.#pending);
    this.#pending = [];
    return counted;
  }

  /** Forget positions counted before `before` (epoch ms); returns how many. */
  trim(before: number): number {
    return this.#trim.run(before).changes;
  }
}
