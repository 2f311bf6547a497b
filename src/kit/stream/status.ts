/**
 * Per-processor status as `shortline status` shows it, computed from the ports alone so it
 * works from another process and on any backend.
 */
import type {
  CheckpointStore,
  DeadLetters,
  ProcessorCounters,
  ProcessorStatsStore,
  RetryQueue,
  StreamLog,
} from './ports.ts';

/** One shard's position for one processor. */
export interface ShardStatus {
  shardId: string;
  checkpoint: string | null;
  /** Age of the oldest record after the checkpoint, ms (0 when caught up). */
  lagMs: number;
}

/** One processor's status. */
export interface ProcessorStatus extends ProcessorCounters {
  processor: string;
  stream: string;
  /** The largest shard lag. */
  lagMs: number;
  retryQueueDepth: number;
  dlqDepth: number;
  shards: ShardStatus[];
}

/**
 * Status of every registered processor.
 *
 * @example
 * const rows = await processorStatus({ log, checkpoints, retryQueue, deadLetters, stats });
 */
export async function processorStatus(
  ports: {
    log: StreamLog;
    checkpoints: CheckpointStore;
    retryQueue: RetryQueue;
    deadLetters: DeadLetters;
    stats: ProcessorStatsStore;
  },
  now = Date.now(),
): Promise<ProcessorStatus[]> {
  const result: ProcessorStatus[] = [];
  for (const { processor, stream, counters } of await ports.stats.list()) {
    const shards: ShardStatus[] = [];
    let shardIds: string[] = [];
    try {
      shardIds = await ports.log.shards(stream);
    } catch {
      // A processor registered on a stream that no longer exists: show its counters only.
    }
    for (const shardId of shardIds) {
      const checkpoint = await ports.checkpoints.load({ processor, stream, shardId });
      const [oldest] = await ports.log.read(stream, shardId, {
        ...(checkpoint === undefined ? {} : { after: checkpoint }),
        limit: 1,
      });
      shards.push({
        shardId,
        checkpoint: checkpoint ?? null,
        lagMs: oldest ? Math.max(0, now - oldest.arrivedAt) : 0,
      });
    }
    result.push({
      processor,
      stream,
      lagMs: Math.max(0, ...shards.map((s) => s.lagMs)),
      ...counters,
      retryQueueDepth: await ports.retryQueue.depth(processor),
      dlqDepth: await ports.deadLetters.depth(processor),
      shards,
    });
  }
  return result;
}
