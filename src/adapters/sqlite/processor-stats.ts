import type { ProcessorCounters, ProcessorStatsStore } from '../../kit/stream/ports.ts';
import type { SqliteDatabase } from './database.ts';

interface StatsRow {
  processor: string;
  stream: string;
  processed: number;
  failed: number;
  retried: number;
  queued: number;
  dead_lettered: number;
}

/**
 * Durable per-processor counters on SQLite, so `shortline status` in another process sees them.
 *
 * @example
 * const stats = new SqliteProcessorStats(openDatabase('./data/streams.db'));
 * await stats.add('visit-counter', { processed: 10 });
 */
export class SqliteProcessorStats implements ProcessorStatsStore {
  readonly #register;
  readonly #add;
  readonly #list;

  constructor(db: SqliteDatabase) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS processor_stats (
        processor TEXT PRIMARY KEY,
        stream TEXT NOT NULL,
        processed INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        retried INTEGER NOT NULL DEFAULT 0,
        queued INTEGER NOT NULL DEFAULT 0,
        dead_lettered INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      );
    `);
    this.#register = db.prepare<[string, string, number]>(
      `INSERT INTO processor_stats (processor, stream, updated_at) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET stream = excluded.stream`,
    );
    this.#add = db.prepare<Record<string, number | string>>(
      `INSERT INTO processor_stats (processor, stream, processed, failed, retried, queued, dead_lettered, updated_at)
       VALUES (:processor, '', :processed, :failed, :retried, :queued, :deadLettered, :now)
       ON CONFLICT DO UPDATE SET processed = processed + :processed, failed = failed + :failed,
         retried = retried + :retried, queued = queued + :queued,
         dead_lettered = dead_lettered + :deadLettered, updated_at = :now`,
    );
    this.#list = db.prepare<[], StatsRow>(
      'SELECT processor, stream, processed, failed, retried, queued, dead_lettered FROM processor_stats ORDER BY processor',
    );
  }

  async register(processor: string, stream: string): Promise<void> {
    this.#register.run(processor, stream, Date.now());
  }

  async add(processor: string, delta: Partial<ProcessorCounters>): Promise<void> {
    this.#add.run({
      processor,
      processed: delta.processed ?? 0,
      failed: delta.failed ?? 0,
      retried: delta.retried ?? 0,
      queued: delta.queued ?? 0,
      deadLettered: delta.deadLettered ?? 0,
      now: Date.now(),
    });
  }

  async list(): Promise<Array<{ processor: string; stream: string; counters: ProcessorCounters }>> {
    return this.#list.all().map((row) => ({
      processor: row.processor,
      stream: row.stream,
      counters: {
        processed: row.processed,
        failed: row.failed,
        retried: row.retried,
        queued: row.queued,
        deadLettered: row.dead_lettered,
      },
    }));
  }
}
