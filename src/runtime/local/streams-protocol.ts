/**
 * Messages between the service's main thread and its stream worker (streams-worker.ts).
 * Only plain data crosses: records, log text and metric points are structured-cloned.
 */
import type { LogLevel } from '../../kit/log/index.ts';
import type { MetricPoint } from '../../kit/metrics/index.ts';
import type { AppendResult, NewRecord } from '../../kit/stream/types.ts';

/** What the worker is started with (its `workerData`). */
export interface StreamWorkerData {
  dataDir: string;
  shards: number;
  /** The configured level (not the main logger's floor). */
  logLevel: LogLevel;
  /** The logger's `name` on the worker's lines. */
  name: string;
}

export type ToWorker =
  | { type: 'append'; id: number; stream: string; records: readonly NewRecord[] }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  /** It could not start (the file is not a database, say); it stops after this. */
  | { type: 'failed'; message: string }
  | { type: 'appended'; id: number; results: AppendResult[] }
  | { type: 'append-failed'; id: number; message: string }
  /** Finished JSON log lines, in order, for the main thread's log destination. */
  | { type: 'log'; text: string }
  /** Flushed metric points, recorded again by the main thread's metrics. */
  | { type: 'metrics'; points: MetricPoint[] }
  | { type: 'closed' };
