/**
 * Consumes a processor's retry queue with the processor's own handler. After `maxReceives`
 * deliveries (or a permanent error) the record goes to dead letters.
 */
import { runWithContext } from '../context/index.ts';
import type { Metrics } from '../metrics/index.ts';
import { NonRetryableError } from './errors.ts';
import { invoke } from './handle-record.ts';
import { CounterBatch, recordContext, sleep } from './internal.ts';
import type { StreamLogger } from './logger.ts';
import type { DeadLetters, ProcessorStatsStore, RetryMessage, RetryQueue } from './ports.ts';
import type { Processor } from './processor.ts';
import { backoffDelay, DEFAULT_BACKOFF } from './retry-timing.ts';
import { toErrorInfo } from './types.ts';

export interface RetryWorkerDeps {
  retryQueue: RetryQueue;
  deadLetters: DeadLetters;
  stats: ProcessorStatsStore;
  logger: StreamLogger;
  /** Records `stream.retried`, `stream.processed`, `stream.dead_lettered` by processor. */
  metrics?: Pick<Metrics, 'count' | 'gauge'>;
  /** Longest wait before receiving again (the fallback poll). Default 500 ms. */
  pollMs?: number;
  /** How long a received message stays hidden from other workers. Default 30 s. */
  visibilityMs?: number;
}

/** Receives before dead letters for processors whose policy is not `retry` (redriven records). */
const DEFAULT_MAX_RECEIVES = 3;

/**
 * Run the retry worker of `processor` until `signal` aborts.
 *
 * @example
 * await runRetryWorker(processor, { retryQueue, deadLetters, stats, logger }, controller.signal);
 */
export async function runRetryWorker(
  processor: Processor,
  deps: RetryWorkerDeps,
  signal: AbortSignal,
): Promise<void> {
  const pollMs = deps.pollMs ?? 500;
  const counters = new CounterBatch();
  let errorAttempt = 0;
  while (!signal.aborted) {
    try {
      const messages = await deps.retryQueue.receive(processor.name, {
        max: 10,
        visibilityMs: deps.visibilityMs ?? 30_000,
      });
      if (messages.length === 0) {
        if (deps.retryQueue.waitForMessages) {
          await deps.retryQueue.waitForMessages(processor.name, pollMs, signal);
        } else {
          await sleep(pollMs, signal);
        }
        continue;
      }
      for (const message of messages) {
        if (signal.aborted) break;
        // Lines about a retried record carry the ids of the request that caused it.
        await runWithContext(recordContext(message.record), () =>
          handleMessage(processor, message, deps, counters, signal),
        );
      }
      await counters.flush(deps.stats, processor.name, deps.metrics);
      errorAttempt = 0;
    } catch (error) {
      errorAttempt++;
      deps.logger.error(
        { processor: processor.name, err: toErrorInfo(error) },
        'retry worker error; retrying',
      );
      await sleep(backoffDelay(errorAttempt, DEFAULT_BACKOFF), signal);
    }
  }
  await counters.flush(deps.stats, processor.name, deps.metrics).catch(() => {});
}

async function handleMessage(
  processor: Processor,
  message: RetryMessage,
  deps: RetryWorkerDeps,
  counters: CounterBatch,
  signal: AbortSignal,
): Promise<void> {
  const { record } = message;
  const attempts = message.attempts + 1;
  const where = {
    processor: processor.name,
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    partitionKey: record.partitionKey,
    receives: message.receives,
    attempts,
  };
  counters.retried++;
  try {
    await invoke(processor, record, attempts, { logger: deps.logger, signal });
    // Durable before the message is acknowledged.
    if (processor.flush) await processor.flush();
  } catch (error) {
    const errorInfo = toErrorInfo(error);
    if (signal.aborted) {
      // Shutting down: hand the message back as it was, so this delivery does not count.
      await deps.retryQueue.release(processor.name, message.receipt, {
        error: message.error,
        attempts: message.attempts,
        delayMs: 0,
      });
      return;
    }
    const policy = processor.policy;
    const maxReceives = policy.kind === 'retry' ? policy.maxReceives : DEFAULT_MAX_RECEIVES;
    const permanent =
      error instanceof NonRetryableError ||
      (policy.kind === 'retry' && policy.shouldRetry !== undefined && !policy.shouldRetry(error));
    if (permanent || message.receives >= maxReceives) {
      // Store first, then delete: a crash in between duplicates a dead letter, never loses one.
      await deps.deadLetters.put({
        processor: processor.name,
        record,
        error: errorInfo,
        attempts,
        receives: message.receives,
      });
      await deps.retryQueue.delete(processor.name, message.receipt);
      counters.deadLettered++;
      deps.logger.error({ ...where, err: errorInfo }, 'retry failed; dead-lettered');
      return;
    }
    const backoff = policy.kind === 'skip' ? DEFAULT_BACKOFF : policy.backoff;
    const delayMs = backoffDelay(message.receives, backoff);
    await deps.retryQueue.release(processor.name, message.receipt, {
      error: errorInfo,
      attempts,
      delayMs,
    });
    deps.logger.warn({ ...where, err: errorInfo, delayMs }, 'retry failed; will retry');
    return;
  }
  await deps.retryQueue.delete(processor.name, message.receipt);
  counters.processed++;
  deps.logger.info(where, 'retried record processed');
}
