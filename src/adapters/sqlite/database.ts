import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** A better-sqlite3 handle. Re-exported so adapters don't each import the driver's types. */
export type SqliteDatabase = Database.Database;

/**
 * Open (creating if needed) a SQLite database tuned for a single-process service: WAL so
 * readers never block the writer, `synchronous=NORMAL` (durable at each WAL checkpoint, safe
 * against application crashes), and a busy timeout so a second process (the CLI) waits
 * instead of failing.
 *
 * @example
 * const db = openDatabase('./data/shortline.db');
 * const store = new SqliteLinkStore(db);
 */
export function openDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}
