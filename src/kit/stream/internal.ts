/**
 * Small helpers shared by the shard consumer, the retry worker and the runner. Not public.
 */
import type { StreamLogger } from './logger.ts';
import type { ProcessorCounters, ProcessorStatsStore } from './ports.ts';

/** Resolve after `ms`, or at once when `signal` aborts. Never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Counters gathered in memory during a batch and written once with its checkpoint. */
export class CounterBatch {
  processed = 0;
  failed = 0;
  retried = 0;
  queued = 0;
  deadLettered = 0;

  get empty(): boolean {
    return this.processed + this.failed + this.retried + this.queued + this.deadLettered === 0;
  }

  /** Write and reset. */
  async flush(stats: ProcessorStatsStore, processor: string): Promise<void> {
    if (this.empty) return;
    const delta: ProcessorCounters = {
      processed: this.processed,
      failed: this.failed,
      retried: this.retried,
      queued: this.queued,
      deadLettered: this.deadLettered,
    };
    this.processed = this.failed = this.retried = this.queued = this.deadLettered = 0;
    await stats.add(processor, delta);
  }
}

/** A logger that adds fixed fields (processor, shard, sequence number) to every line. */
export function bindLogger(base: StreamLogger, fields: Record<string, unknown>): StreamLogger {
  return {
    debug: (obj, msg) => base.debug({ ...fields, ...obj }, msg),
    info: (obj, msg) => base.info({ ...fields, ...obj }, msg),
    warn: (obj, msg) => base.warn({ ...fields, ...obj }, msg),
    error: (obj, msg) => base.error({ ...fields, ...obj }, msg),
  };
}
