import type { CheckpointKey, CheckpointStore } from '../../kit/stream/ports.ts';
import { compareSequence } from '../../kit/stream/types.ts';
import type { SqliteDatabase } from './database.ts';

/**
 * Checkpoints on SQLite. `save` never moves a checkpoint backwards, even when two writers race
 * (the compare and the write are one immediate transaction).
 *
 * @example
 * const checkpoints = new SqliteCheckpointStore(openDatabase('./data/streams.db'));
 */
export class SqliteCheckpointStore implements CheckpointStore {
  readonly #get;
  readonly #save;

  constructor(db: SqliteDatabase) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS stream_checkpoints (
        processor TEXT NOT NULL,
        stream TEXT NOT NULL,
        shard_id TEXT NOT NULL,
        seq TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (processor, stream, shard_id)
      ) WITHOUT ROWID;
    `);
    const get = db.prepare<[string, string, string], { seq: string }>(
      'SELECT seq FROM stream_checkpoints WHERE processor = ? AND stream = ? AND shard_id = ?',
    );
    const upsert = db.prepare<[string, string, string, string, number]>(
      `INSERT INTO stream_checkpoints (processor, stream, shard_id, seq, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`,
    );
    this.#get = (key: CheckpointKey) => get.get(key.processor, key.stream, key.shardId)?.seq;
    this.#save = db.transaction((key: CheckpointKey, seq: string) => {
      const current = this.#get(key);
      if (current !== undefined && compareSequence(seq, current) <= 0) return;
      upsert.run(key.processor, key.stream, key.shardId, seq, Date.now());
    });
  }

  async load(key: CheckpointKey): Promise<string | undefined> {
    return this.#get(key);
  }

  async save(key: CheckpointKey, sequenceNumber: string): Promise<void> {
    this.#save.immediate(key, sequenceNumber);
  }
}
