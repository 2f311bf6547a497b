import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './database.ts';

/** A running background checkpointer. */
export interface WalCheckpointer {
  stop(): Promise<void>;
}

// Plain CommonJS so the worker needs no TypeScript loader; the driver path comes from the parent.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    // Under steady writes a PASSIVE checkpoint never catches up with the writer, so the WAL
    // is never started over and grows without end. Past the limit, RESTART waits for the
    // writer and readers to finish what they are doing, and the next commit starts the WAL
    // from its beginning; journal_size_limit then gives the file's space back.
    if (result && result.log > workerData.restartFrames) db.pragma('wal_checkpoint(RESTART)');
  } catch {}
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Move WAL checkpoints off the commit path. SQLite's automatic checkpoint runs inside the
 * commit that crosses the threshold and stalls it (about 17–20 ms every ~450 small commits on
 * these machines). This turns it off for `db` and checkpoints from a worker thread with its
 * own connection instead (PASSIVE: it never blocks the writer). When the WAL passes
 * `restartFrames` pages (default 4,096: 16 MB of 4 KB pages), a RESTART checkpoint makes
 * the next commit start the WAL over; it holds the writer only for the pages written since
 * the last PASSIVE checkpoint.
 *
 * @example
 * const checkpointer = startWalCheckpointer(db);
 * // … on shutdown:
 * await checkpointer.stop();
 */
export function startWalCheckpointer(
  db: SqliteDatabase,
  intervalMs = 250,
  restartFrames = 4_096,
): WalCheckpointer {
  if (db.memory) return { stop: async () => {} };
  db.pragma('wal_autocheckpoint = 0');
  // After a restart, the WAL file is cut back to this size (bytes) instead of staying at its peak.
  db.pragma(`journal_size_limit = ${restartFrames * 4096}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { file: db.name, driver, intervalMs, restartFrames },
  });
  worker.unref();
  // A failing checkpointer must not take the service down; commits then just grow the WAL.
  worker.on('error', () => {});
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        // Unref'd while running so it never keeps a process alive; ref'd to wait for its exit.
        worker.ref();
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      }).then(() => {
        if (db.open) db.pragma('wal_autocheckpoint = 1000');
      });
      return stopped;
    },
  };
}
