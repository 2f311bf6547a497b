/**
 * Small helpers shared by the shard consumer, the retry worker and the runner. Not public.
 */
import { contextFromAttributes, type RequestContext } from '../context/index.ts';
import type { Metrics } from '../metrics/index.ts';
import type { StreamLogger } from './logger.ts';
import type { ProcessorCounters, ProcessorStatsStore } from './ports.ts';
import type { StreamRecord } from './types.ts';

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

  /** Write and reset; also record them as metrics (`stream.processed`, …) when given. */
  async flush(
    stats: ProcessorStatsStore,
    processor: string,
    metrics?: Pick<Metrics, 'count'>,
  ): Promise<void> {
    if (this.empty) return;
    const delta: ProcessorCounters = {
      processed: this.processed,
      failed: this.failed,
      retried: this.retried,
      queued: this.queued,
      deadLettered: this.deadLettered,
    };
    this.processed = this.failed = this.retried = this.queued = this.deadLettered = 0;
    if (metrics) {
      const dimensions = { processor };
      if (delta.processed) metrics.count('stream.processed', delta.processed, dimensions);
      if (delta.failed) metrics.count('stream.failed', delta.failed, dimensions);
      if (delta.retried) metrics.count('stream.retried', delta.retried, dimensions);
      if (delta.queued) metrics.count('stream.queued', delta.queued, dimensions);
      if (delta.deadLettered) metrics.count('stream.dead_lettered', delta.deadLettered, dimensions);
    }
    await stats.add(processor, delta);
  }
}

/** A logger that adds fixed fields (processor, shard, sequence number) to every line. */
export function bindLogger(base: StreamLogger, fields: Record<string, unknown>): StreamLogger {
  return new BoundLogger(base, fields);
}

// A class: one is made per record that logs, and its methods live on the prototype. An object
// of four arrow functions cost four closures per record (and, under tsx, four `__name` calls).
class BoundLogger implements StreamLogger {
  readonly #base: StreamLogger;
  readonly #fields: Record<string, unknown>;

  constructor(base: StreamLogger, fields: Record<string, unknown>) {
    this.#base = base;
    this.#fields = fields;
  }

  debug(obj: Record<string, unknown>, msg?: string): void {
    this.#base.debug({ ...this.#fields, ...obj }, msg);
  }

  info(obj: Record<string, unknown>, msg?: string): void {
    this.#base.info({ ...this.#fields, ...obj }, msg);
  }

  warn(obj: Record<string, unknown>, msg?: string): void {
    this.#base.warn({ ...this.#fields, ...obj }, msg);
  }

  error(obj: Record<string, unknown>, msg?: string): void {
    this.#base.error({ ...this.#fields, ...obj }, msg);
  }
}

const contexts = new WeakMap<StreamRecord, RequestContext>();

/**
 * The correlation context of a record, the same object every time it is asked for, so the
 * engine's own lines about a record and its handler's lines carry the same ids even when the
 * record arrived without any (a fresh id is made once, not per call).
 */
export function recordContext(record: StreamRecord): RequestContext {
  let context = contexts.get(record);
  if (!context) {
    context = contextFromAttributes(record.attributes);
    contexts.set(record, context);
  }
  return context;
}
