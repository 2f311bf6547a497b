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
import { type StreamRecord, toErrorInfo } from './types.ts';

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
  /** Write the checkpoint (and counters) at most this often while busy, ms. Default 100. */
  checkpointIntervalMs?: number;
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
  const intervalMs = deps.checkpointIntervalMs ?? 100;
  const counters = new CounterBatch();
  const handleDeps = { ...deps, signal, counters };
  let checkpoint = await deps.checkpoints.load(key);
  let saved = checkpoint;
  let savedAt = 0;
  let position = checkpoint;
  let haltAttempt = 0;
  let errorAttempt = 0;
  deps.logger.info({ processor: processor.name, shardId, checkpoint }, 'shard consumer started');

  // The checkpoint advances in memory after every batch and is written at most once per
  // `intervalMs` (and at once on halt, when idle and due, and on stop): one write per batch
  // per processor would make ten processors at 1,000 records/s ten thousand writes a second.
  // A later write only means a longer replay after a crash, never a loss.
  const persist = async () => {
    if (processor.flush && checkpoint !== saved) {
      try {
        await processor.flush();
      } catch (error) {
        // The buffered effects are not durable: handle everything after the saved checkpoint again.
        checkpoint = saved;
        position = saved;
        throw error;
      }
    }
    if (checkpoint !== undefined && checkpoint !== saved) {
      await deps.checkpoints.save(key, checkpoint);
      saved = checkpoint;
    }
    await counters.flush(deps.stats, processor.name, deps.metrics);
    savedAt = Date.now();
  };
  const pending = () => checkpoint !== saved || !counters.empty;

  // A short batch means the shard was drained as of that read: wait for a wake-up instead of
  // reading again only to find nothing (half the reads of a consumer that keeps up).
  let drained = false;
  while (!signal.aborted) {
    try {
      const records: StreamRecord[] = drained
        ? []
        : await deps.log.read(processor.stream, shardId, {
            ...(position === undefined ? {} : { after: position }),
            limit: processor.batchSize,
          });
      drained = false;
      // Lag: how old the newest record read is (0 when caught up), like Kinesis's iterator age.
      const newest = records.at(-1);
      deps.metrics?.gauge('stream.lag', newest ? Math.max(0, Date.now() - newest.arrivedAt) : 0, {
        processor: processor.name,
        shard: shardId,
      });
      if (records.length === 0) {
        let waitMs = pollMs;
        if (pending()) {
          const dueIn = savedAt + intervalMs - Date.now();
          if (dueIn <= 0) {
            await persist();
            continue;
          }
          waitMs = Math.min(pollMs, dueIn);
        }
        if (deps.log.waitForRecords) {
          await deps.log.waitForRecords(processor.stream, shardId, position, waitMs, signal);
        } else {
          await sleep(waitMs, signal);
        }
        continue;
      }
      const outcomes: RecordOutcome[] = [];
      let halted = false;
      for (const record of records) {
        if (signal.aborted) break;
        let outcome = handleRecord(processor, record, handleDeps, haltAttempt);
        if (typeof outcome !== 'string') outcome = await outcome;
        if (outcome !== 'done') {
          halted = outcome === 'halt';
          break;
        }
        if (haltAttempt > 0) haltAttempt = 0;
        outcomes.push({ sequenceNumber: record.sequenceNumber, finished: true });
      }
      checkpoint = advanceCheckpoint(checkpoint, outcomes);
      if (halted || Date.now() - savedAt >= intervalMs) await persist();
      errorAttempt = 0;
      if (halted) {
        haltAttempt++;
        position = checkpoint;
        await sleep(backoffDelay(haltAttempt, haltBackoff(processor)), signal);
      } else {
        position = outcomes.at(-1)?.sequenceNumber ?? position;
        drained = !signal.aborted && records.length < processor.batchSize;
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
  try {
    await persist();
  } catch (error) {
    deps.logger.error(
      { processor: processor.name, shardId, err: toErrorInfo(error) },
      'could not write the final checkpoint',
    );
  }
  deps.logger.info({ processor: processor.name, shardId, checkpoint }, 'shard consumer stopped');
}

function haltBackoff(processor: Processor) {
  return processor.policy.kind === 'halt' ? processor.policy.backoff : DEFAULT_BACKOFF;
}
