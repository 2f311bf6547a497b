import { join } from 'node:path';
import { SqliteCheckpointStore } from './checkpoint-store.ts';
import { openDatabase, type SqliteDatabase } from './database.ts';
import { SqliteDeadLetters } from './dead-letters.ts';
import { SqliteProcessorStats } from './processor-stats.ts';
import { SqliteRetryQueue } from './retry-queue.ts';
import { SqliteStreamLog } from './stream-log.ts';
import { startWalCheckpointer } from './wal-checkpointer.ts';

/** Every stream port on one SQLite file. */
export interface SqliteStreamStorage {
  db: SqliteDatabase;
  log: SqliteStreamLog;
  checkpoints: SqliteCheckpointStore;
  retryQueue: SqliteRetryQueue;
  deadLetters: SqliteDeadLetters;
  stats: SqliteProcessorStats;
  /** Stop the background checkpointer (if any) and close the file. */
  close(): Promise<void>;
}

/** The streams file under a data directory. */
export function streamsFile(dataDir: string): string {
  return join(dataDir, 'streams.db');
}

/**
 * Open the stream log, checkpoints, retry queue, dead letters and counters on one file
 * (default `<dataDir>/streams.db`, kept apart from the links database so stream writes never
 * queue behind link writes). A long-running writer passes `offloadWalCheckpoints: true` to
 * keep WAL checkpoints off its commit path (see {@link startWalCheckpointer}).
 *
 * @example
 * const storage = openStreamStorage(streamsFile(process.env.SHORTLINE_DATA_DIR ?? './data'));
 * storage.log.createStream('links', { shards: 2 });
 */
export function openStreamStorage(
  file: string,
  options: { offloadWalCheckpoints?: boolean } = {},
): SqliteStreamStorage {
  const db = openDatabase(file);
  const checkpointer = options.offloadWalCheckpoints ? startWalCheckpointer(db) : undefined;
  return {
    db,
    log: new SqliteStreamLog(db),
    checkpoints: new SqliteCheckpointStore(db),
    retryQueue: new SqliteRetryQueue(db),
    deadLetters: new SqliteDeadLetters(db),
    stats: new SqliteProcessorStats(db),
    close() {
      const closeDb = () => {
        if (db.open) db.close();
      };
      // Without a checkpointer the file is closed before close() returns.
      if (!checkpointer) return Promise.resolve(closeDb());
      return checkpointer.stop().then(closeDb);
    },
  };
}
