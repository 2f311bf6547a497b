/**
 * Ports of the stream kit. The engine, retry worker and CLI depend only on these; SQLite and
 * AWS (Kinesis, DynamoDB, SQS) adapters implement them.
 */
import type { AppendResult, ErrorInfo, NewRecord, StreamRecord } from './types.ts';

/**
 * Appends records. Partition key → shard as Kinesis does (MD5 of the key, 128-bit hash
 * ranges split evenly between shards); per-shard sequence numbers increase.
 *
 * @example
 * await producer.append('links', [{ partitionKey: code, data: event }]);
 */
export interface StreamProducer {
  /** Append records in one batch; results are in input order. */
  append(stream: string, records: readonly NewRecord[]): Promise<AppendResult[]>;
}

/** Options for {@link StreamLog.read}. */
export interface ReadOptions {
  /** Read records strictly after this sequence number; omit to read from the oldest kept. */
  after?: string;
  /** Maximum number of records returned. */
  limit: number;
}

/**
 * A partitioned, ordered, append-only log (the read side and the write side).
 *
 * @example
 * const shards = await log.shards('links');
 * const batch = await log.read('links', shards[0], { after: checkpoint, limit: 500 });
 */
export interface StreamLog extends StreamProducer {
  /** Shard ids of a stream, in a stable order. Rejects when the stream does not exist. */
  shards(stream: string): Promise<string[]>;
  /** Records of one shard in sequence order. */
  read(stream: string, shardId: string, options: ReadOptions): Promise<StreamRecord[]>;
  /**
   * Optional: resolve when records may have been appended to the shard after `after`, or when
   * `timeoutMs` passes, or when `signal` aborts. Backends that cannot notify omit it and the
   * engine polls.
   */
  waitForRecords?(
    stream: string,
    shardId: string,
    after: string | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<void>;
}

/** Identifies one checkpoint. */
export interface CheckpointKey {
  processor: string;
  stream: string;
  shardId: string;
}

/**
 * Durable checkpoints per (processor, stream, shard). A checkpoint is the highest sequence
 * number at or below which every record is finished.
 *
 * @example
 * await checkpoints.save({ processor: 'visit-counter', stream: 'links', shardId }, '42');
 */
export interface CheckpointStore {
  /** The saved checkpoint, or undefined when the processor never checkpointed this shard. */
  load(key: CheckpointKey): Promise<string | undefined>;
  /** Save a checkpoint. Never moves backwards: a lower value than the stored one is ignored. */
  save(key: CheckpointKey, sequenceNumber: string): Promise<void>;
}

/** A record on a processor's retry queue or in its dead letters, with why it is there. */
export interface FailedRecord {
  processor: string;
  record: StreamRecord;
  error: ErrorInfo;
  /** Handler attempts so far (in process and by the retry worker). */
  attempts: number;
}

/** A message received from a {@link RetryQueue}. */
export interface RetryMessage extends FailedRecord {
  id: string;
  /** Opaque handle for delete/release (an SQS receipt handle, or the id locally). */
  receipt: string;
  /** How many times the queue has delivered this message, this delivery included. */
  receives: number;
  /** When it was first queued, epoch ms. */
  enqueuedAt: number;
}

/**
 * A processor's retry queue (SQS semantics: receive hides a message for a visibility
 * timeout and counts the receive; delete acknowledges; release makes it visible later).
 *
 * @example
 * await queue.send({ processor, record, error, attempts: 3 });
 * const [message] = await queue.receive(processor, { max: 10, visibilityMs: 30_000 });
 */
export interface RetryQueue {
  /** Durably enqueue. Resolves only once the queue has accepted the message. */
  send(failed: FailedRecord): Promise<void>;
  receive(
    processor: string,
    options: { max: number; visibilityMs: number },
  ): Promise<RetryMessage[]>;
  delete(processor: string, receipt: string): Promise<void>;
  /** Make a received message visible again after `delayMs`, recording the latest failure. */
  release(
    processor: string,
    receipt: string,
    update: { error: ErrorInfo; attempts: number; delayMs: number },
  ): Promise<void>;
  /** Messages currently queued (visible or in flight). */
  depth(processor: string): Promise<number>;
  /**
   * Optional: resolve when a message may be available, after `timeoutMs`, or on abort.
   * Backends that cannot notify omit it and the worker polls.
   */
  waitForMessages?(processor: string, timeoutMs: number, signal?: AbortSignal): Promise<void>;
}

/** A dead letter as stored. */
export interface DeadLetter extends FailedRecord {
  id: string;
  receives: number;
  /** When it was dead-lettered, epoch ms. */
  failedAt: number;
}

/**
 * Records a processor gave up on, kept for a person to list, inspect, redrive or purge.
 *
 * @example
 * for (const letter of await deadLetters.list({ processor: 'visit-counter' })) console.log(letter.id);
 */
export interface DeadLetters {
  /** Durably store; returns the new id. */
  put(letter: FailedRecord & { receives: number }): Promise<string>;
  list(options?: { processor?: string; limit?: number }): Promise<DeadLetter[]>;
  get(id: string): Promise<DeadLetter | undefined>;
  /** Remove one; resolves false when the id is unknown. */
  remove(id: string): Promise<boolean>;
  /** Remove all (of one processor when given); returns how many. */
  purge(processor?: string): Promise<number>;
  depth(processor?: string): Promise<number>;
}

/** Per-processor counters, kept durably so another process (`shortline status`) can read them. */
export interface ProcessorCounters {
  /** Records handled successfully (first time, in-process retry, or retry worker). */
  processed: number;
  /** Records whose handling failed after in-process attempts (skipped, queued or halted on). */
  failed: number;
  /** Extra handler attempts (in-process retries and retry-worker deliveries). */
  retried: number;
  /** Records put on the retry queue. */
  queued: number;
  /** Records moved to dead letters. */
  deadLettered: number;
}

/**
 * Durable processor registry and counters.
 *
 * @example
 * await stats.register('visit-counter', 'links');
 * await stats.add('visit-counter', { processed: 500 });
 */
export interface ProcessorStatsStore {
  /** Record that a processor reads a stream (so status can list it before it has work). */
  register(processor: string, stream: string): Promise<void>;
  add(processor: string, delta: Partial<ProcessorCounters>): Promise<void>;
  list(): Promise<Array<{ processor: string; stream: string; counters: ProcessorCounters }>>;
}
