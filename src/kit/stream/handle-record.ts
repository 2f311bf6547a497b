/**
 * One record through the handler under its processor's failure policy. The outcome says
 * whether the record is finished (so the checkpoint may pass it).
 */
import { contextFromAttributes, currentContext, runWithContext } from '../context/index.ts';
import { NonRetryableError } from './errors.ts';
import { bindLogger, type CounterBatch, sleep } from './internal.ts';
import type { StreamLogger } from './logger.ts';
import type { DeadLetters, RetryQueue } from './ports.ts';
import type { HandlerContext, Processor } from './processor.ts';
import { nextRetryDelay } from './retry-timing.ts';
import { type StreamRecord, toErrorInfo } from './types.ts';

/** `done`: finished; `halt`: blocks the shard; `stop`: shutting down, not finished. */
export type HandleOutcome = 'done' | 'halt' | 'stop';

export interface HandleDeps {
  retryQueue: RetryQueue;
  deadLetters: DeadLetters;
  logger: StreamLogger;
  signal: AbortSignal;
  counters: CounterBatch;
}

/** Run the handler once, inside the record's own correlation context. */
export async function invoke(
  processor: Processor,
  record: StreamRecord,
  attempt: number,
  deps: Pick<HandleDeps, 'logger' | 'signal'>,
): Promise<void> {
  const ctx = handlerContext(processor, record, attempt, deps);
  // Callers (handleRecord, the retry worker) already run in the record's context.
  const context = currentContext() ?? contextFromAttributes(record.attributes);
  await runWithContext(context, () => processor.handler(record, ctx));
}

function handlerContext(
  processor: Processor,
  record: StreamRecord,
  attempt: number,
  deps: Pick<HandleDeps, 'logger' | 'signal'>,
): HandlerContext {
  return new RecordHandlerContext(processor.name, record, attempt, deps.signal, deps.logger);
}

/** A class rather than an object literal with a getter: it is made once per record. */
class RecordHandlerContext implements HandlerContext {
  readonly processor: string;
  readonly attempt: number;
  readonly signal: AbortSignal;
  readonly #record: StreamRecord;
  readonly #base: StreamLogger;
  #logger: StreamLogger | undefined;

  constructor(
    processor: string,
    record: StreamRecord,
    attempt: number,
    signal: AbortSignal,
    base: StreamLogger,
  ) {
    this.processor = processor;
    this.attempt = attempt;
    this.signal = signal;
    this.#record = record;
    this.#base = base;
  }

  /** Bound on first use only: most handlers never log. */
  get logger(): StreamLogger {
    this.#logger ??= bindLogger(this.#base, {
      processor: this.processor,
      shardId: this.#record.shardId,
      sequenceNumber: this.#record.sequenceNumber,
    });
    return this.#logger;
  }
}

/**
 * Handle one record from the stream, in the record's own correlation context (so the engine's
 * lines about it carry its ids too). A handler that returns without a promise is finished
 * synchronously and the outcome is a plain value, so a fast handler costs no extra ticks.
 * `haltAttempt` tells a halted record's first failure from the retries of the same halt, so
 * `failed` counts records, not attempts.
 */
export function handleRecord(
  processor: Processor,
  record: StreamRecord,
  deps: HandleDeps,
  haltAttempt: number,
): HandleOutcome | Promise<HandleOutcome> {
  return runWithContext(contextFromAttributes(record.attributes), () => {
    const started = Date.now();
    let result: unknown;
    try {
      result = processor.handler(record, handlerContext(processor, record, haltAttempt + 1, deps));
    } catch (error) {
      return handleFailure(processor, record, deps, haltAttempt, started, error);
    }
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      return Promise.resolve(result).then(
        () => succeeded(processor, record, deps, haltAttempt + 1, started),
        (error: unknown) => handleFailure(processor, record, deps, haltAttempt, started, error),
      );
    }
    return succeeded(processor, record, deps, haltAttempt + 1, started);
  });
}

function succeeded(
  processor: Processor,
  record: StreamRecord,
  deps: HandleDeps,
  attempt: number,
  started: number,
): HandleOutcome {
  deps.counters.processed++;
  if (deps.logger.isLevelEnabled?.('debug') !== false) {
    deps.logger.debug(
      {
        processor: processor.name,
        shardId: record.shardId,
        sequenceNumber: record.sequenceNumber,
        partitionKey: record.partitionKey,
        attempt,
        latencyMs: Date.now() - started,
      },
      'record processed',
    );
  }
  return 'done';
}

async function handleFailure(
  processor: Processor,
  record: StreamRecord,
  deps: HandleDeps,
  haltAttempt: number,
  started: number,
  firstError: unknown,
): Promise<HandleOutcome> {
  const policy = processor.policy;
  const where = {
    processor: processor.name,
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    partitionKey: record.partitionKey,
  };
  let error = firstError;
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) {
      try {
        await invoke(processor, record, attempt + haltAttempt, deps);
        return succeeded(processor, record, deps, attempt + haltAttempt, started);
      } catch (retryError) {
        error = retryError;
      }
    }
    {
      if (deps.signal.aborted) return 'stop';
      const errorInfo = toErrorInfo(error);
      if (policy.kind === 'skip') {
        deps.counters.failed++;
        deps.logger.warn({ ...where, err: errorInfo }, 'record failed; skipped (policy skip)');
        return 'done';
      }
      if (policy.kind === 'halt') {
        if (haltAttempt === 0) deps.counters.failed++;
        else deps.counters.retried++;
        if (Date.now() - record.arrivedAt <= policy.maxRecordAgeMs) {
          deps.logger.warn(
            { ...where, err: errorInfo, attempt: haltAttempt + 1 },
            'record failed; shard halted (policy halt)',
          );
          return 'halt';
        }
        await deps.deadLetters.put({
          processor: processor.name,
          record,
          error: errorInfo,
          attempts: haltAttempt + 1,
          receives: 0,
        });
        deps.counters.deadLettered++;
        deps.logger.error(
          { ...where, err: errorInfo },
          'record older than maxRecordAge; dead-lettered (policy halt)',
        );
        return 'done';
      }
      const delay = nextRetryDelay({
        attempt,
        maxAttempts: policy.retries + 1,
        elapsedMs: Date.now() - started,
        budgetMs: policy.budgetMs,
        error,
        backoff: policy.backoff,
        ...(policy.shouldRetry ? { shouldRetry: policy.shouldRetry } : {}),
      });
      if (delay !== undefined) {
        deps.counters.retried++;
        await sleep(delay, deps.signal);
        if (deps.signal.aborted) return 'stop';
        continue;
      }
      deps.counters.failed++;
      const failed = { processor: processor.name, record, error: errorInfo, attempts: attempt };
      const permanent =
        error instanceof NonRetryableError || (policy.shouldRetry && !policy.shouldRetry(error));
      try {
        if (permanent) {
          await deps.deadLetters.put({ ...failed, receives: 0 });
          deps.counters.deadLettered++;
          deps.logger.error(
            { ...where, err: errorInfo, attempts: attempt },
            'record failed permanently; dead-lettered',
          );
        } else {
          await deps.retryQueue.send(failed);
          deps.counters.queued++;
          deps.logger.warn(
            { ...where, err: errorInfo, attempts: attempt },
            'record failed; moved to the retry queue',
          );
        }
        return 'done';
      } catch (queueError) {
        // Not durably queued, so not finished: the checkpoint must stay before it.
        deps.logger.error(
          { ...where, err: toErrorInfo(queueError) },
          'could not queue a failed record; shard halted',
        );
        return 'halt';
      }
    }
  }
}
