import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type StreamLogger, silentLogger } from '../../kit/stream/logger.ts';
import type { DeadLetters, ProcessorStatsStore } from '../../kit/stream/ports.ts';
import type { Processor } from '../../kit/stream/processor.ts';
import { runRetryWorker } from '../../kit/stream/retry-worker.ts';
import { toErrorInfo } from '../../kit/stream/types.ts';
import { fromSqsRecord, isSqsEvent } from './events.ts';
import { SqsBatchQueue } from './sqs-batch-queue.ts';

export interface RetryWorkerHandlerDeps {
  /** The processor's DLQ: permanent failures and messages past `maxReceives` go there. */
  deadLetters: DeadLetters;
  logger?: StreamLogger;
  stats?: ProcessorStatsStore;
  /** Shorten a failed message's visibility to the worker's backoff (ChangeMessageVisibility). */
  setVisibility?: (receiptHandle: string, delayMs: number) => Promise<void>;
}

const noStats: ProcessorStatsStore = {
  register: async () => {},
  add: async () => {},
  list: async () => [],
};

/**
 * A Lambda handler for a processor's SQS retry queue, with partial batch responses
 * (ReportBatchItemFailures). Each message runs through the kit's own retry worker, so the
 * decisions (retry later, dead-letter after `maxReceives`, dead-letter permanent errors at
 * once) are the embedded runtime's. Unreadable messages are reported failed, so the queue's
 * redrive policy ends up moving them to the DLQ.
 *
 * @example
 * export const handler = createRetryWorkerHandler(visitCounter, { deadLetters });
 */
export function createRetryWorkerHandler<T>(typed: Processor<T>, deps: RetryWorkerHandlerDeps) {
  // The kit runs records of unknown shape; the handler checks its own data.
  const processor = typed as unknown as Processor;
  const logger = deps.logger ?? silentLogger;
  return async function retryWorkerHandler(
    event: SQSEvent,
    _context?: Partial<Context>,
  ): Promise<SQSBatchResponse> {
    if (!isSqsEvent(event)) return { batchItemFailures: [] };
    const deliveries = event.Records.map(fromSqsRecord);
    const failures: string[] = [];
    const messages = [];
    const idOf = new Map<string, string>();
    for (const delivery of deliveries) {
      if (!delivery.ok) {
        logger.error(
          {
            processor: processor.name,
            messageId: delivery.messageId,
            err: toErrorInfo(delivery.error),
          },
          'unreadable retry message',
        );
        failures.push(delivery.messageId);
      } else if (delivery.message.processor !== processor.name) {
        logger.error(
          { processor: processor.name, messageId: delivery.messageId },
          'message of another processor',
        );
        failures.push(delivery.messageId);
      } else {
        messages.push(delivery.message);
        idOf.set(delivery.message.receipt, delivery.messageId);
      }
    }
    const done = new AbortController();
    const queue = new SqsBatchQueue(messages, done, deps.setVisibility);
    // A message the worker never got to (it threw) must not count as handled.
    for (const message of messages) queue.failed.add(message.receipt);
    await runRetryWorker(
      processor,
      {
        retryQueue: queue,
        deadLetters: deps.deadLetters,
        stats: deps.stats ?? noStats,
        logger,
        pollMs: 0,
      },
      done.signal,
    );
    for (const receipt of queue.failed) failures.push(idOf.get(receipt) ?? receipt);
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
