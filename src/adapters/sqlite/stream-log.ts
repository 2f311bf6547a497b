import { contextToAttributes } from '../../kit/context/index.ts';
import { NotFoundError } from '../../kit/stream/errors.ts';
import type { ReadOptions, StreamLog } from '../../kit/stream/ports.ts';
import type { AppendResult, NewRecord, StreamRecord } from '../../kit/stream/types.ts';
import type { SqliteDatabase } from './database.ts';
import { notifyCommit, waitForCommit } from './stream-notify.ts';
import { shardFor, shardIdOf, shardIndexOf } from './stream-shards.ts';

/** How a stream is created. */
export interface StreamOptions {
  /** Number of shards. Default 1. Fixed once the stream exists. */
  shards?: number;
  /** How long records are kept before {@link SqliteStreamLog.trim} removes them. Default 24 h. */
  retentionMs?: number;
}

interface StreamMeta {
  id: number;
  shardCount: number;
  retentionMs: number;
  shardIds: string[];
  shardCache: Map<string, number>;
}

interface RecordRow {
  seq: number;
  partition_key: string;
  data: string;
  attributes: string | null;
  arrived_at: number;
}

/** A {@link RecordRow} as the array `raw()` returns, in column order. */
type RawRow = [number, string, string, string | null, number];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A durable, sharded stream on SQLite. One transaction per `append` call, per-shard sequence
 * numbers that never repeat (the next one is stored, so trimming cannot reuse them), and
 * in-process wake-ups of waiting consumers on commit.
 *
 * @example
 * const log = new SqliteStreamLog(openDatabase('./data/streams.db'));
 * log.createStream('links', { shards: 2 });
 * await log.append('links', [{ partitionKey: 'abc', data: { type: 'link.visited' } }]);
 */
export class SqliteStreamLog implements StreamLog {
  readonly #db: SqliteDatabase;
  readonly #meta = new Map<string, StreamMeta>();
  readonly #statements;
  readonly #appendTx;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS streams (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        shard_count INTEGER NOT NULL,
        retention_ms INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS stream_shards (
        stream_id INTEGER NOT NULL,
        shard INTEGER NOT NULL,
        next_seq INTEGER NOT NULL,
        PRIMARY KEY (stream_id, shard)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS stream_records (
        stream_id INTEGER NOT NULL,
        shard INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        partition_key TEXT NOT NULL,
        data TEXT NOT NULL,
        attributes TEXT,
        arrived_at INTEGER NOT NULL,
        PRIMARY KEY (stream_id, shard, seq)
      ) WITHOUT ROWID;
    `);
    this.#statements = {
      meta: db.prepare<[string], { id: number; shard_count: number; retention_ms: number }>(
        'SELECT id, shard_count, retention_ms FROM streams WHERE name = ?',
      ),
      createStream: db.prepare<[string, number, number, number]>(
        'INSERT INTO streams (name, shard_count, retention_ms, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      createShard: db.prepare<[number, number]>(
        'INSERT INTO stream_shards (stream_id, shard, next_seq) VALUES (?, ?, 1) ON CONFLICT DO NOTHING',
      ),
      nextSeq: db.prepare<[number, number], { next_seq: number }>(
        'SELECT next_seq FROM stream_shards WHERE stream_id = ? AND shard = ?',
      ),
      setNextSeq: db.prepare<[number, number, number]>(
        'UPDATE stream_shards SET next_seq = ? WHERE stream_id = ? AND shard = ?',
      ),
      insert: db.prepare<[number, number, number, string, string, string | null, number]>(
        'INSERT INTO stream_records (stream_id, shard, seq, partition_key, data, attributes, arrived_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      read: db.prepare<[number, number, number, number], RecordRow>(
        'SELECT seq, partition_key, data, attributes, arrived_at FROM stream_records WHERE stream_id = ? AND shard = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      // Arrival times grow with the sequence, so the cut is the first record young enough;
      // finding it scans only what is deleted (no index on arrived_at on the append path).
      trim: db.prepare<{ id: number; shard: number; cutoff: number }>(
        `DELETE FROM stream_records WHERE stream_id = :id AND shard = :shard AND seq < COALESCE(
           (SELECT seq FROM stream_records WHERE stream_id = :id AND shard = :shard AND arrived_at >= :cutoff ORDER BY seq LIMIT 1),
           (SELECT next_seq FROM stream_shards WHERE stream_id = :id AND shard = :shard))`,
      ),
      names: db.prepare<[], { name: string }>('SELECT name FROM streams ORDER BY name'),
    };
    this.#appendTx = db.transaction(
      (meta: StreamMeta, rows: ReadonlyArray<[number, string, string, string | null]>) => {
        const now = Date.now();
        const next = new Map<number, number>();
        const results: AppendResult[] = [];
        for (const [shard, partitionKey, data, attributes] of rows) {
          let seq = next.get(shard);
          if (seq === undefined) seq = this.#statements.nextSeq.get(meta.id, shard)?.next_seq ?? 1;
          this.#statements.insert.run(meta.id, shard, seq, partitionKey, data, attributes, now);
          results.push({
            shardId: meta.shardIds[shard] ?? shardIdOf(shard),
            sequenceNumber: String(seq),
          });
          next.set(shard, seq + 1);
        }
        for (const [shard, seq] of next) this.#statements.setNextSeq.run(seq, meta.id, shard);
        return { results, shards: [...next.keys()] };
      },
    );
  }

  /** Create a stream unless it exists (an existing stream keeps its shard count). */
  createStream(name: string, options: StreamOptions = {}): void {
    const shards = options.shards ?? 1;
    if (!Number.isInteger(shards) || shards < 1 || shards > 1024) {
      throw new RangeError(`shard count ${shards}`);
    }
    this.#db.transaction(() => {
      this.#statements.createStream.run(name, shards, options.retentionMs ?? DAY_MS, Date.now());
      const meta = this.#load(name);
      for (let i = 0; i < meta.shardCount; i++) this.#statements.createShard.run(meta.id, i);
    })();
  }

  /** Names of all streams. */
  streamNames(): string[] {
    return this.#statements.names.all().map((row) => row.name);
  }

  async append(stream: string, records: readonly NewRecord[]): Promise<AppendResult[]> {
    return this.appendSync(stream, records);
  }

  /** {@link append} without the promise, for callers on a hot path. */
  appendSync(stream: string, records: readonly NewRecord[]): AppendResult[] {
    if (records.length === 0) return [];
    const meta = this.#load(stream);
    const context = contextToAttributes();
    // Serialised once for every record that brings no attributes of its own.
    const contextKeys = Object.keys(context);
    const contextJson = contextKeys.length === 0 ? null : JSON.stringify(context);
    const rows = records.map((record): [number, string, string, string | null] => {
      let attributes = contextJson;
      const own = record.attributes;
      if (own !== undefined && Object.keys(own).length > 0) {
        // A record that carries its own context (the publisher captures it per request) needs
        // no merge with the appender's.
        const covers = contextKeys.every((key) => key in own);
        attributes = JSON.stringify(covers ? own : { ...context, ...own });
      }
      return [
        this.#shardOf(meta, record.partitionKey),
        record.partitionKey,
        JSON.stringify(record.data ?? null),
        attributes,
      ];
    });
    const { results, shards } = this.#appendTx.immediate(meta, rows);
    for (const shard of shards) notifyCommit(this.#key(stream, shard));
    return results;
  }

  async shards(stream: string): Promise<string[]> {
    const meta = this.#load(stream);
    return [...meta.shardIds];
  }

  async read(stream: string, shardId: string, options: ReadOptions): Promise<StreamRecord[]> {
    const meta = this.#load(stream);
    const shard = this.#shard(meta, stream, shardId);
    const after = options.after === undefined ? 0 : Number(options.after);
    // Raw rows (arrays) skip building an intermediate object per record on the hot path.
    const rows = this.#statements.read
      .raw(true)
      .all(meta.id, shard, after, options.limit) as unknown as RawRow[];
    const records = new Array<StreamRecord>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [seq, partitionKey, data, attributes, arrivedAt] = rows[i] as RawRow;
      records[i] = {
        stream,
        shardId,
        sequenceNumber: String(seq),
        partitionKey,
        data: JSON.parse(data) as unknown,
        attributes: attributes === null ? {} : (JSON.parse(attributes) as Record<string, string>),
        arrivedAt,
      };
    }
    return records;
  }

  waitForRecords(
    stream: string,
    shardId: string,
    after: string | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const meta = this.#load(stream);
    const shard = this.#shard(meta, stream, shardId);
    const last = after === undefined ? 0 : Number(after);
    return waitForCommit(this.#key(stream, shard), timeoutMs, signal, () => {
      const next = this.#statements.nextSeq.get(meta.id, shard)?.next_seq ?? 1;
      return next - 1 > last;
    });
  }

  /** Delete records older than each stream's retention; returns how many were removed. */
  trim(now = Date.now()): number {
    let removed = 0;
    for (const name of this.streamNames()) {
      const meta = this.#load(name);
      for (let shard = 0; shard < meta.shardCount; shard++) {
        const cutoff = now - meta.retentionMs;
        removed += this.#statements.trim.run({ id: meta.id, shard, cutoff }).changes;
      }
    }
    return removed;
  }

  #load(stream: string): StreamMeta {
    const cached = this.#meta.get(stream);
    if (cached) return cached;
    const row = this.#statements.meta.get(stream);
    if (!row) throw new NotFoundError(`stream ${JSON.stringify(stream)} does not exist`);
    const meta = {
      id: row.id,
      shardCount: row.shard_count,
      retentionMs: row.retention_ms,
      shardIds: Array.from({ length: row.shard_count }, (_, i) => shardIdOf(i)),
      shardCache: new Map<string, number>(),
    };
    this.#meta.set(stream, meta);
    return meta;
  }

  #shard(meta: StreamMeta, stream: string, shardId: string): number {
    const index = shardIndexOf(shardId, meta.shardCount);
    if (index === undefined) {
      throw new NotFoundError(
        `shard ${JSON.stringify(shardId)} of stream ${stream} does not exist`,
      );
    }
    return index;
  }

  /** MD5 and 128-bit maths cost more than the insert: hot keys (popular links) are cached. */
  #shardOf(meta: StreamMeta, partitionKey: string): number {
    if (meta.shardCount === 1) return 0;
    let shard = meta.shardCache.get(partitionKey);
    if (shard === undefined) {
      shard = shardFor(partitionKey, meta.shardCount);
      if (meta.shardCache.size >= 10_000) meta.shardCache.clear();
      meta.shardCache.set(partitionKey, shard);
    }
    return shard;
  }

  #key(stream: string, shard: number): string {
    return `${this.#db.name}\0stream\0${stream}\0${shard}`;
  }
}
