import { Worker } from 'node:worker_threads';
import { openDatabase } from '../../adapters/sqlite/database.ts';
import { streamsFile } from '../../adapters/sqlite/stream-storage.ts';
import { SqliteVisitStats } from '../../adapters/sqlite/visit-stats.ts';
import { type Logger, type LogLevel, loggerDestination } from '../../kit/log/index.ts';
import type { Metrics } from '../../kit/metrics/index.ts';
import type { StreamProducer } from '../../kit/stream/ports.ts';
import type { AppendResult, NewRecord } from '../../kit/stream/types.ts';
import type { LinkEventPublisher, LinkStats } from '../../shortener/ports.ts';
import { StreamEventPublisher } from '../../shortener/stream-event-publisher.ts';
import { LINKS_STREAM } from '../../shortener/visit-counter.ts';
import type { FromWorker, StreamWorkerData, ToWorker } from './streams-protocol.ts';

/** The stream side of the local service. */
export interface LocalStreams {
  events: LinkEventPublisher;
  stats: LinkStats;
  /** Graceful: deliver buffered events, let processors finish and checkpoint, close the file. */
  close(): Promise<void>;
  /** The worker thread running now (undefined while it restarts); tests use it to kill one. */
  worker(): Worker | undefined;
}

export interface LocalStreamsOptions {
  dataDir: string;
  /** The service's logger: the worker's lines are written to its destination. */
  logger: Logger;
  /** The configured level, for the worker's own logger. */
  logLevel: LogLevel;
  /** The `name` on the worker's lines. Default `shortline`. */
  name?: string;
  /** Processor metrics (processed, failed, retried, queued, dead-lettered, lag) land here. */
  metrics?: Pick<Metrics, 'count' | 'gauge' | 'timing'>;
  shards?: number;
}

const WORKER_ENTRY = new URL('./streams-worker.mjs', import.meta.url);
const RESTART_DELAYS_MS = [1_000, 5_000, 30_000];
const PUBLISH_LINGER_MS = 10;

/**
 * Run the `links` stream and its processors (the visit counter and its retry worker) in a
 * worker thread on `<dataDir>/streams.db`, so counting visits never competes with requests for
 * the main thread. Events are sent to the worker once per tick and appended there; visit counts
 * are read here, on a connection of this thread's own. A worker that dies is restarted (its
 * processors resume from their checkpoints); events published meanwhile are counted as lost.
 *
 * @example
 * const streams = await startLocalStreams({ dataDir: './data', logger, logLevel: 'info' });
 * composeShortener({ ..., events: streams.events, stats: streams.stats });
 */
export async function startLocalStreams(options: LocalStreamsOptions): Promise<LocalStreams> {
  const worker = new StreamWorker(
    {
      dataDir: options.dataDir,
      shards: options.shards ?? 2,
      logLevel: options.logLevel,
      name: options.name ?? 'shortline',
    },
    options,
  );
  await worker.start();
  // Opened after the worker created the tables; reads only.
  const db = openDatabase(streamsFile(options.dataDir));
  const stats = new SqliteVisitStats(db);
  const events = new StreamEventPublisher({
    producer: worker,
    stream: LINKS_STREAM,
    logger: options.logger,
    // One message to the worker, and one append there, per 10 ms rather than per tick.
    lingerMs: PUBLISH_LINGER_MS,
  });
  let closing: Promise<void> | undefined;
  return {
    events,
    stats,
    worker: () => worker.thread,
    close() {
      closing ??= (async () => {
        await events.flush();
        await worker.close();
        db.close();
      })();
      return closing;
    },
  };
}

interface Pending {
  resolve(results: AppendResult[]): void;
  reject(error: Error): void;
}

/** The main thread's side of the worker: a StreamProducer, its log and metric relay, restarts. */
class StreamWorker implements StreamProducer {
  readonly #data: StreamWorkerData;
  readonly #logger: Logger;
  readonly #metrics: LocalStreamsOptions['metrics'];
  readonly #writeLines: (text: string) => void;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #nextId = 0;
  #restarts = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #closing = false;

  get thread(): Worker | undefined {
    return this.#worker;
  }

  constructor(data: StreamWorkerData, options: LocalStreamsOptions) {
    this.#data = data;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    const destination = loggerDestination(options.logger);
    this.#writeLines = (text) => destination.write(text);
  }

  /** Start the worker; rejects when it fails before it is ready (a bad data dir, say). */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_ENTRY, { workerData: this.#data });
      let ready = false;
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          ready = true;
          this.#worker = worker;
          resolve();
        } else if (message.type === 'failed') {
          reject(new Error(`the stream worker could not start: ${message.message}`));
        } else this.#receive(message);
      });
      worker.on('error', (error) => {
        if (!ready) reject(error);
        else this.#logger.error({ err: error }, 'stream worker failed');
      });
      worker.on('exit', (code) => {
        if (this.#worker === worker) this.#worker = undefined;
        this.#failPending('the stream worker stopped');
        if (!ready) reject(new Error(`the stream worker exited with code ${code} while starting`));
        else if (!this.#closing) this.#restart(code);
      });
    });
  }

  append(stream: string, records: readonly NewRecord[]): Promise<AppendResult[]> {
    const worker = this.#worker;
    if (!worker) return Promise.reject(new Error('the stream worker is not running'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'append', id, stream, records } satisfies ToWorker);
    });
  }

  /** Let the processors finish and checkpoint, then wait for the worker to exit. */
  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#restartTimer);
    const worker = this.#worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToWorker);
    await exited;
  }

  #receive(message: FromWorker): void {
    switch (message.type) {
      case 'log':
        this.#writeLines(message.text);
        break;
      case 'metrics':
        for (const point of message.points) {
          this.#metrics?.[point.type](point.name, point.value, point.dimensions);
        }
        break;
      case 'appended':
        this.#pending.get(message.id)?.resolve(message.results);
        this.#pending.delete(message.id);
        break;
      case 'append-failed':
        this.#pending.get(message.id)?.reject(new Error(message.message));
        this.#pending.delete(message.id);
        break;
      default:
        break;
    }
  }

  #failPending(reason: string): void {
    for (const pending of this.#pending.values()) pending.reject(new Error(reason));
    this.#pending.clear();
  }

  #restart(code: number): void {
    const delay = RESTART_DELAYS_MS[Math.min(this.#restarts, RESTART_DELAYS_MS.length - 1)] ?? 0;
    this.#restarts++;
    this.#logger.error({ exitCode: code, restartInMs: delay }, 'stream worker stopped; restarting');
    this.#restartTimer = setTimeout(() => {
      this.start().then(
        () => this.#logger.info('stream worker restarted'),
        (error: unknown) => {
          this.#logger.error({ err: error }, 'stream worker did not restart');
          if (!this.#closing) this.#restart(1);
        },
      );
    }, delay);
    this.#restartTimer.unref();
  }
}
