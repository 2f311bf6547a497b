import { join } from 'node:path';
import { SqliteCheckpointStore } from './checkpoint-store.ts';
import { openDatabase, type SqliteDatabase } from './database.ts';
import { SqliteDeadLetters } from './dead-letters.ts';
import { SqliteProcessorStats } from './processor-stats.ts';
import { SqliteRetryQueue } from './retry-queue.ts';
import { SqliteStreamLog } from './stream-log.ts';

/** Every stream port on one SQLite file. */
export interface SqliteStreamStorage {
  db: SqliteDatabase;
  log: SqliteStreamLog;
  checkpoints: SqliteCheckpointStore;
  retryQueue: SqliteRetryQueue;
  deadLetters: SqliteDeadLetters;
  stats: SqliteProcessorStats;
  close(): void;
}

/** The streams file under a data directory. */
export function streamsFile(dataDir: string): string {
  return join(dataDir, 'streams.db');
}

/**
 * Open the stream log, checkpoints, retry queue, dead letters and counters on one file
 * (default `<dataDir>/streams.db`, kept apart from the links database so stream writes never
 * queue behind link writes).
 *
 * @example
 * const storage = openStreamStorage(streamsFile(process.env.SHORTLINE_DATA_DIR ?? './data'));
 * storage.log.createStream('links', { shards: 2 });
 */
export function openStreamStorage(file: string): SqliteStreamStorage {
  const db = openDatabase(file);
  return {
    db,
    log: new SqliteStreamLog(db),
    checkpoints: new SqliteCheckpointStore(db),
    retryQueue: new SqliteRetryQueue(db),
    deadLetters: new SqliteDeadLetters(db),
    stats: new SqliteProcessorStats(db),
    close() {
      if (db.open) db.close();
    },
  };
}
