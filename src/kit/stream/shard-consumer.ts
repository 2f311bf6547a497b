/**
 * Reads one shard for one processor: batch after the checkpoint, records in order, the
 * failure policy, then the checkpoint.
 */

import type { Metrics } from '../metrics/index.ts';
import { advanceCheckpoint, type RecordOutcome } from './checkpoint.ts';
import { handleRecord } from './handle-record.ts';
import { CounterBatch, sleep } from './internal.ts';
import type { StreamLogger } from './logger.ts';
import type {
  CheckpointStore,
  DeadLetters,
  ProcessorStatsStore,
  RetryQueue,
  StreamLog,
} from './ports.ts';
import type { Processor } from './processor.ts';
import { backoffDelay, DEFAULT_BACKOFF } from './retry-timing.ts';
import { toErrorInfo } from './types.ts';

/** Ports and knobs a consumer needs. */
export interface ConsumerDeps {
  log: StreamLog;
  checkpoints: CheckpointStore;
  retryQueue: RetryQueue;
  deadLetters: DeadLetters;
  stats: ProcessorStatsStore;
  logger: StreamLogger;
  /** Records the processor counters and `stream.lag` (ms) by processor and shard. */
  metrics?: Pick<Metrics, 'count' | 'gauge'>;
  /** Longest wait for new records before reading again (the fallback poll). Default 500 ms. */
  pollMs?: number;
}

/**
 * Consume `shardId` until `signal` aborts. On abort it stops reading, lets the record in
 * flight finish, checkpoints what is finished and resolves.
 *
 * @example
 * await consumeShard(processor, 'shardId-000000000000', deps, controller.signal);
 */
export async function consumeShard(
  processor: Processor,
  shardId: string,
  deps: ConsumerDeps,
  signal: AbortSignal,
): Promise<void> {
  const key = { processor: processor.name, stream: processor.stream, shardId };
  const pollMs = deps.pollMs ?? 500;
  const counters = new CounterBatch();
  const handleDeps = { ...deps, signal, counters };
  let checkpoint = await deps.checkpoints.load(key);
  let position = checkpoint;
  let haltAttempt = 0;
  let errorAttempt = 0;
  deps.logger.info({ processor: processor.name, shardId, checkpoint }, 'shard consumer started');

  while (!signal.aborted) {
    try {
      const records = await deps.log.read(processor.stream, shardId, {
        ...(position === undefined ? {} : { after: position }),
        limit: processor.batchSize,
      });
      // Lag: how old the newest record read is (0 when caught up), like Kinesis's iterator age.
      const newest = records.at(-1);
      deps.metrics?.gauge('stream.lag', newest ? Math.max(0, Date.now() - newest.arrivedAt) : 0, {
        processor: processor.name,
        shard: shardId,
      });
      if (records.length === 0) {
        if (deps.log.waitForRecords) {
          await deps.log.waitForRecords(processor.stream, shardId, position, pollMs, signal);
        } else {
          await sleep(pollMs, signal);
        }
        continue;
      }
      const outcomes: RecordOutcome[] = [];
      let halted = false;
      for (const record of records) {
        if (signal.aborted) break;
        const outcome = await handleRecord(processor, record, handleDeps, haltAttempt);
        if (outcome !== 'done') {
          halted = outcome === 'halt';
          break;
        }
        if (haltAttempt > 0) haltAttempt = 0;
        outcomes.push({ sequenceNumber: record.sequenceNumber, finished: true });
      }
      const next = advanceCheckpoint(checkpoint, outcomes);
      if (next !== undefined && next !== checkpoint) {
        await deps.checkpoints.save(key, next);
        checkpoint = next;
      }
      await counters.flush(deps.stats, processor.name, deps.metrics);
      errorAttempt = 0;
      if (halted) {
        haltAttempt++;
        position = checkpoint;
        await sleep(backoffDelay(haltAttempt, haltBackoff(processor)), signal);
      } else {
        position = outcomes.at(-1)?.sequenceNumber ?? position;
      }
    } catch (error) {
      // A storage error (busy, disk, network): keep the shard alive, re-read from the checkpoint.
      errorAttempt++;
      position = checkpoint;
      deps.logger.error(
        { processor: processor.name, shardId, err: toErrorInfo(error) },
        'shard consumer error; retrying',
      );
      await sleep(backoffDelay(errorAttempt, DEFAULT_BACKOFF), signal);
    }
  }
  await counters.flush(deps.stats, processor.name, deps.metrics).catch(() => {});
  deps.logger.info({ processor: processor.name, shardId, checkpoint }, 'shard consumer stopped');
}

function haltBackoff(processor: Processor) {
  return processor.policy.kind === 'halt' ? processor.policy.backoff : DEFAULT_BACKOFF;
}
