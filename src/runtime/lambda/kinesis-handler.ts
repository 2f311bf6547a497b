import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { handleRecord } from '../../kit/stream/handle-record.ts';
import { CounterBatch } from '../../kit/stream/internal.ts';
import { type StreamLogger, silentLogger } from '../../kit/stream/logger.ts';
import type { DeadLetters, ProcessorStatsStore, RetryQueue } from '../../kit/stream/ports.ts';
import type { Processor } from '../../kit/stream/processor.ts';
import { deadlineSignal } from './deadline.ts';
import { fromKinesisRecord, isKinesisEvent } from './events.ts';

export interface KinesisHandlerDeps {
  /** Where `retry` sends a record that failed its in-process attempts (SQS). */
  retryQueue: RetryQueue;
  /** Where permanent failures and records past `maxRecordAge` go (the SQS DLQ). */
  deadLetters: DeadLetters;
  logger?: StreamLogger;
  /** Counters per batch; on Lambda usually a metrics-log writer. */
  stats?: ProcessorStatsStore;
}

/**
 * A Lambda handler for a Kinesis event source mapping, built from the same processor
 * definition the embedded runtime runs. Records are handled in order under the processor's
 * policy by the kit's own `handleRecord`:
 * - `halt`: the failed record and everything after it are reported in `batchItemFailures`, so
 *   Lambda (ReportBatchItemFailures) checkpoints just before it and retries from there;
 * - `retry`: after the in-process attempts the whole record goes to the SQS retry queue (the
 *   on-failure destination of the mapping would carry only metadata);
 * - `skip`: logged and dropped.
 *
 * @example
 * export const handler = createKinesisHandler(visitCounter, { retryQueue, deadLetters });
 */
export function createKinesisHandler<T>(typed: Processor<T>, deps: KinesisHandlerDeps) {
  // The kit runs records of unknown shape; the handler checks its own data.
  const processor = typed as unknown as Processor;
  const logger = deps.logger ?? silentLogger;
  return async function kinesisHandler(
    event: KinesisStreamEvent,
    context?: Partial<Context>,
  ): Promise<KinesisStreamBatchResponse> {
    if (!isKinesisEvent(event)) {
      // An empty batch or a misrouted event: nothing of ours to process.
      if ((event as { Records?: unknown[] })?.Records?.length) {
        throw new TypeError(`${processor.name}: not a Kinesis event`);
      }
      return { batchItemFailures: [] };
    }
    const { signal, clear } = deadlineSignal(context);
    const counters = new CounterBatch();
    let halted: string | undefined;
    try {
      for (const raw of event.Records) {
        const record = fromKinesisRecord(raw, processor.stream);
        const outcome = await handleRecord(
          processor,
          record,
          { retryQueue: deps.retryQueue, deadLetters: deps.deadLetters, logger, signal, counters },
          0,
        );
        // Halted or out of time: Lambda resumes from the lowest reported sequence number.
        if (outcome !== 'done') {
          halted = record.sequenceNumber;
          break;
        }
      }
      // Returning is the checkpoint: buffered effects must be durable first. If they cannot be
      // made so, the whole batch comes again (the processor's effects are idempotent by position).
      if (processor.flush) {
        try {
          await processor.flush();
        } catch (error) {
          logger.error(
            { processor: processor.name, err: error },
            'flush failed; batch will be retried',
          );
          const first = event.Records[0]?.kinesis.sequenceNumber;
          return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
        }
      }
      return { batchItemFailures: halted ? [{ itemIdentifier: halted }] : [] };
    } finally {
      clear();
      if (deps.stats) await counters.flush(deps.stats, processor.name).catch(() => {});
    }
  };
}
