import { randomBytes } from 'node:crypto';
import type { DeadLetter, DeadLetters, FailedRecord } from '../../kit/stream/ports.ts';
import type { SqliteDatabase } from './database.ts';

interface Row {
  id: string;
  processor: string;
  record: string;
  error: string;
  attempts: number;
  receives: number;
  failed_at: number;
}

const toLetter = (row: Row): DeadLetter => ({
  id: row.id,
  processor: row.processor,
  record: JSON.parse(row.record) as DeadLetter['record'],
  error: JSON.parse(row.error) as DeadLetter['error'],
  attempts: row.attempts,
  receives: row.receives,
  failedAt: row.failed_at,
});

/**
 * Dead letters on SQLite: the whole record with its last error and attempt counts.
 *
 * @example
 * const deadLetters = new SqliteDeadLetters(openDatabase('./data/streams.db'));
 * const letters = await deadLetters.list({ processor: 'visit-counter' });
 */
export class SqliteDeadLetters implements DeadLetters {
  readonly #db: SqliteDatabase;
  readonly #insert;
  readonly #get;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS dead_letters (
        id TEXT PRIMARY KEY,
        processor TEXT NOT NULL,
        record TEXT NOT NULL,
        error TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        receives INTEGER NOT NULL,
        failed_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS dead_letters_by_processor ON dead_letters (processor, failed_at);
    `);
    this.#insert = db.prepare<[string, string, string, string, number, number, number]>(
      'INSERT INTO dead_letters (id, processor, record, error, attempts, receives, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#get = db.prepare<[string], Row>('SELECT * FROM dead_letters WHERE id = ?');
  }

  async put(letter: FailedRecord & { receives: number }): Promise<string> {
    const id = `dl-${randomBytes(6).toString('hex')}`;
    this.#insert.run(
      id,
      letter.processor,
      JSON.stringify(letter.record),
      JSON.stringify(letter.error),
      letter.attempts,
      letter.receives,
      Date.now(),
    );
    return id;
  }

  async list(options: { processor?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    const limit = options.limit ?? 100;
    const rows =
      options.processor === undefined
        ? this.#db
            .prepare<[number], Row>('SELECT * FROM dead_letters ORDER BY failed_at, id LIMIT ?')
            .all(limit)
        : this.#db
            .prepare<[string, number], Row>(
              'SELECT * FROM dead_letters WHERE processor = ? ORDER BY failed_at, id LIMIT ?',
            )
            .all(options.processor, limit);
    return rows.map(toLetter);
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    const row = this.#get.get(id);
    return row ? toLetter(row) : undefined;
  }

  async remove(id: string): Promise<boolean> {
    return this.#db.prepare('DELETE FROM dead_letters WHERE id = ?').run(id).changes === 1;
  }

  async purge(processor?: string): Promise<number> {
    const result =
      processor === undefined
        ? this.#db.prepare('DELETE FROM dead_letters').run()
        : this.#db.prepare('DELETE FROM dead_letters WHERE processor = ?').run(processor);
    return result.changes;
  }

  async depth(processor?: string): Promise<number> {
    const row =
      processor === undefined
        ? this.#db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM dead_letters').get()
        : this.#db
            .prepare<[string], { n: number }>(
              'SELECT COUNT(*) AS n FROM dead_letters WHERE processor = ?',
            )
            .get(processor);
    return row?.n ?? 0;
  }
}
