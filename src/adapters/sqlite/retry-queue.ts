import { randomBytes } from 'node:crypto';
import type { FailedRecord, RetryMessage, RetryQueue } from '../../kit/stream/ports.ts';
import type { ErrorInfo } from '../../kit/stream/types.ts';
import type { SqliteDatabase } from './database.ts';
import { notifyCommit, waitForCommit } from './stream-notify.ts';

interface Row {
  id: string;
  processor: string;
  record: string;
  error: string;
  attempts: number;
  receives: number;
  enqueued_at: number;
}

/**
 * A retry queue on SQLite with SQS semantics: `receive` hides messages for a visibility timeout
 * and counts the delivery; a receipt is valid for one delivery only (`<id>:<receives>`), so a
 * worker whose visibility expired cannot delete a message that was delivered again.
 *
 * @example
 * const queue = new SqliteRetryQueue(openDatabase('./data/streams.db'));
 * await queue.send({ processor: 'visit-counter', record, error, attempts: 3 });
 */
export class SqliteRetryQueue implements RetryQueue {
  readonly #db: SqliteDatabase;
  readonly #insert;
  readonly #receive;
  readonly #delete;
  readonly #release;
  readonly #depth;
  readonly #nextVisible;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS retry_queue (
        id TEXT PRIMARY KEY,
        processor TEXT NOT NULL,
        record TEXT NOT NULL,
        error TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        receives INTEGER NOT NULL,
        visible_at INTEGER NOT NULL,
        enqueued_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS retry_queue_visible ON retry_queue (processor, visible_at);
    `);
    this.#insert = db.prepare<[string, string, string, string, number, number, number, number]>(
      'INSERT INTO retry_queue (id, processor, record, error, attempts, receives, visible_at, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const take = db.prepare<[string, number, number], Row>(
      'SELECT id, processor, record, error, attempts, receives, enqueued_at FROM retry_queue WHERE processor = ? AND visible_at <= ? ORDER BY visible_at, enqueued_at LIMIT ?',
    );
    const hide = db.prepare<[number, string]>(
      'UPDATE retry_queue SET visible_at = ?, receives = receives + 1 WHERE id = ?',
    );
    this.#receive = db.transaction((processor: string, max: number, visibilityMs: number) => {
      const now = Date.now();
      const rows = take.all(processor, now, max);
      for (const row of rows) hide.run(now + visibilityMs, row.id);
      return rows;
    });
    this.#delete = db.prepare<[string, string, number]>(
      'DELETE FROM retry_queue WHERE id = ? AND processor = ? AND receives = ?',
    );
    this.#release = db.prepare<[number, string, number, string, string, number]>(
      'UPDATE retry_queue SET visible_at = ?, error = ?, attempts = ? WHERE id = ? AND processor = ? AND receives = ?',
    );
    this.#depth = db.prepare<[string], { n: number }>(
      'SELECT COUNT(*) AS n FROM retry_queue WHERE processor = ?',
    );
    this.#nextVisible = db.prepare<[string], { at: number | null }>(
      'SELECT MIN(visible_at) AS at FROM retry_queue WHERE processor = ?',
    );
  }

  async send(failed: FailedRecord): Promise<void> {
    this.sendWithReceives(failed, 0);
  }

  /** Enqueue with a given receive count (0 for a fresh message, as a redrive does). */
  sendWithReceives(failed: FailedRecord, receives: number): void {
    const now = Date.now();
    this.#insert.run(
      `rq-${randomBytes(8).toString('hex')}`,
      failed.processor,
      JSON.stringify(failed.record),
      JSON.stringify(failed.error),
      failed.attempts,
      receives,
      now,
      now,
    );
    notifyCommit(this.#key(failed.processor));
  }

  async receive(
    processor: string,
    options: { max: number; visibilityMs: number },
  ): Promise<RetryMessage[]> {
    const rows: Row[] = this.#receive.immediate(processor, options.max, options.visibilityMs);
    return rows.map((row) => ({
      id: row.id,
      receipt: `${row.id}:${row.receives + 1}`,
      processor: row.processor,
      record: JSON.parse(row.record) as RetryMessage['record'],
      error: JSON.parse(row.error) as ErrorInfo,
      attempts: row.attempts,
      receives: row.receives + 1,
      enqueuedAt: row.enqueued_at,
    }));
  }

  async delete(processor: string, receipt: string): Promise<void> {
    const [id, receives] = parseReceipt(receipt);
    this.#delete.run(id, processor, receives);
  }

  async release(
    processor: string,
    receipt: string,
    update: { error: ErrorInfo; attempts: number; delayMs: number },
  ): Promise<void> {
    const [id, receives] = parseReceipt(receipt);
    const visibleAt = Date.now() + update.delayMs;
    this.#release.run(
      visibleAt,
      JSON.stringify(update.error),
      update.attempts,
      id,
      processor,
      receives,
    );
  }

  async depth(processor: string): Promise<number> {
    return this.#depth.get(processor)?.n ?? 0;
  }

  waitForMessages(processor: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    // Wake for a delayed or hidden message becoming visible, not only for new ones.
    const next = this.#nextVisible.get(processor)?.at;
    const wait = next == null ? timeoutMs : Math.max(0, Math.min(timeoutMs, next - Date.now()));
    return waitForCommit(this.#key(processor), wait, signal, () => wait === 0);
  }

  #key(processor: string): string {
    return `${this.#db.name}\0queue\0${processor}`;
  }
}

function parseReceipt(receipt: string): [string, number] {
  const at = receipt.lastIndexOf(':');
  return [receipt.slice(0, at), Number(receipt.slice(at + 1))];
}
