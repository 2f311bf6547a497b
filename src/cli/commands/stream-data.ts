import { existsSync } from 'node:fs';
import {
  openStreamStorage,
  type SqliteStreamStorage,
  streamsFile,
} from '../../adapters/sqlite/stream-storage.ts';

/** The `--data-dir` option shared by the stream commands. */
export const DATA_DIR_FLAGS = '-d, --data-dir <dir>';
export const DATA_DIR_HELP = 'where the SQLite files live (env SHORTLINE_DATA_DIR, default ./data)';

/**
 * Open `<dataDir>/streams.db` for an operator command, or undefined when the service never
 * created it. WAL and the busy timeout let this run next to a live service.
 */
export function openStreamData(dataDir: string | undefined): SqliteStreamStorage | undefined {
  const file = streamsFile(dataDir ?? process.env.SHORTLINE_DATA_DIR ?? './data');
  return existsSync(file) ? openStreamStorage(file) : undefined;
}

/** Run `fn` with the stream storage open, closing it afterwards. */
export async function withStreamData<T>(
  dataDir: string | undefined,
  fn: (storage: SqliteStreamStorage | undefined) => Promise<T>,
): Promise<T> {
  const storage = openStreamData(dataDir);
  try {
    return await fn(storage);
  } finally {
    storage?.close();
  }
}

/** A duration for people: `0s`, `1.2s`, `3m 4s`, `2h 5m`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${ms < 10_000 ? (ms / 1000).toFixed(1) : Math.round(ms / 1000)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** Left-aligned text columns. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
