/**
 * Runs many processors in one process: one consumer per (processor, shard) and one retry
 * worker per processor, each its own async loop, so a slow or failing processor only ever
 * waits on itself.
 */
import type { Metrics } from '../metrics/index.ts';
import type { StreamLogger } from './logger.ts';
import { silentLogger } from './logger.ts';
import type {
  CheckpointStore,
  DeadLetters,
  ProcessorStatsStore,
  RetryQueue,
  StreamLog,
} from './ports.ts';
import type { Processor } from './processor.ts';
import { runRetryWorker } from './retry-worker.ts';
import { consumeShard } from './shard-consumer.ts';

/** What {@link startProcessors} needs. */
export interface RunnerOptions {
  log: StreamLog;
  checkpoints: CheckpointStore;
  retryQueue: RetryQueue;
  deadLetters: DeadLetters;
  stats: ProcessorStatsStore;
  /** Pino-compatible; default silent. */
  logger?: StreamLogger;
  /** Processor metrics: processed, failed, retried, queued, dead-lettered, lag. */
  metrics?: Pick<Metrics, 'count' | 'gauge'>;
  /** Fallback poll interval when no wake-up arrives, ms. Default 500. */
  pollMs?: number;
  /** Longest delay before a busy consumer writes its checkpoint, ms. Default 100. */
  checkpointIntervalMs?: number;
  /** Retry-queue visibility timeout, ms. Default 30 s. */
  visibilityMs?: number;
  /** Run the retry workers (default true). */
  retryWorkers?: boolean;
}

/** A running set of processors. */
export interface RunningProcessors {
  /** Graceful stop: stop reading, finish in-flight records, checkpoint, resolve. */
  stop(): Promise<void>;
  /** Resolves when every loop has ended (after `stop`). */
  readonly done: Promise<void>;
}

/**
 * Start processors. Names must be unique: they key checkpoints, queues and counters.
 *
 * @example
 * const running = await startProcessors([visitCounter], { log, checkpoints, retryQueue, deadLetters, stats });
 * process.on('SIGTERM', () => running.stop());
 */
export async function startProcessors(
  processors: readonly Processor[],
  options: RunnerOptions,
): Promise<RunningProcessors> {
  const names = new Set<string>();
  for (const processor of processors) {
    if (names.has(processor.name)) throw new Error(`duplicate processor name ${processor.name}`);
    names.add(processor.name);
  }
  const logger = options.logger ?? silentLogger;
  const controller = new AbortController();
  const deps = { ...options, logger };
  const loops: Promise<void>[] = [];
  for (const processor of processors) {
    await options.stats.register(processor.name, processor.stream);
    const shards = await options.log.shards(processor.stream);
    for (const shardId of shards) {
      loops.push(consumeShard(processor, shardId, deps, controller.signal));
    }
    if (options.retryWorkers !== false) {
      loops.push(runRetryWorker(processor, deps, controller.signal));
    }
  }
  logger.info({ processors: [...names] }, 'processors started');
  const done = Promise.all(loops).then(() => {
    logger.info({ processors: [...names] }, 'processors stopped');
  });
  return {
    done,
    async stop() {
      controller.abort();
      await done;
    },
  };
}
