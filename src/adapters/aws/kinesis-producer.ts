import {
  type KinesisClient,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { contextToAttributes } from '../../kit/context/index.ts';
import type { StreamProducer } from '../../kit/stream/ports.ts';
import { type Backoff, backoffDelay } from '../../kit/stream/retry-timing.ts';
import type { AppendResult, NewRecord } from '../../kit/stream/types.ts';
import { AwsAdapterError } from './errors.ts';
import { encodeRecord } from './kinesis-envelope.ts';

/** PutRecords limits: 500 records and 5 MiB per request (data plus partition keys). */
export const PUT_RECORDS_MAX_COUNT = 500;
export const PUT_RECORDS_MAX_BYTES = 5 * 1024 * 1024;

export interface KinesisProducerOptions {
  client: KinesisClient;
  /** Maps a logical stream name to the Kinesis stream name (a deployment adds a prefix). */
  streamName?: (stream: string) => string;
  /** PutRecords calls per batch before giving up on records still rejected. Default 5. */
  maxAttempts?: number;
  backoff?: Backoff;
}

const DEFAULT_BACKOFF: Backoff = { initialMs: 50, factor: 2, maxMs: 1_000, jitter: 'full' };

/** Split entries into PutRecords-sized batches, keeping their order. */
export function toBatches<T extends { size: number }>(entries: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (current.length === PUT_RECORDS_MAX_COUNT || bytes + entry.size > PUT_RECORDS_MAX_BYTES) {
      if (current.length > 0) batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += entry.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

interface Pending {
  index: number;
  entry: PutRecordsRequestEntry;
  size: number;
}

/**
 * StreamProducer on Kinesis. Batches with PutRecords and resends exactly the records a partial
 * failure rejected (throttling, internal errors), with backoff, so one hot shard never makes
 * the whole batch fail. Adds the current correlation context to every record.
 *
 * @example
 * const producer = new KinesisStreamProducer({ client: new KinesisClient({}) });
 * await producer.append('links', [{ partitionKey: code, data: event }]);
 */
export class KinesisStreamProducer implements StreamProducer {
  readonly #client: KinesisClient;
  readonly #name: (stream: string) => string;
  readonly #maxAttempts: number;
  readonly #backoff: Backoff;

  constructor(options: KinesisProducerOptions) {
    this.#client = options.client;
    this.#name = options.streamName ?? ((stream) => stream);
    this.#maxAttempts = options.maxAttempts ?? 5;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  async append(stream: string, records: readonly NewRecord[]): Promise<AppendResult[]> {
    const context = contextToAttributes();
    const pending = records.map((record, index): Pending => {
      const data = encodeRecord(record.data, { ...context, ...record.attributes });
      const entry = { PartitionKey: record.partitionKey, Data: data };
      return { index, entry, size: data.byteLength + Buffer.byteLength(record.partitionKey) };
    });
    const results: AppendResult[] = new Array(records.length);
    for (const batch of toBatches(pending)) await this.#put(this.#name(stream), batch, results);
    return results;
  }

  async #put(streamName: string, batch: Pending[], results: AppendResult[]): Promise<void> {
    let left = batch;
    for (let attempt = 1; ; attempt++) {
      const response = await this.#client.send(
        new PutRecordsCommand({ StreamName: streamName, Records: left.map((p) => p.entry) }),
      );
      const rejected: Pending[] = [];
      let lastError = '';
      // Results are in request order; a rejected entry has ErrorCode instead of a sequence.
      (response.Records ?? []).forEach((result, i) => {
        const pending = left[i];
        if (!pending) return;
        if (result.ErrorCode || !result.SequenceNumber || !result.ShardId) {
          rejected.push(pending);
          lastError = `${result.ErrorCode}: ${result.ErrorMessage}`;
        } else {
          results[pending.index] = {
            shardId: result.ShardId,
            sequenceNumber: result.SequenceNumber,
          };
        }
      });
      if (rejected.length === 0) return;
      if (attempt >= this.#maxAttempts) {
        throw new AwsAdapterError(
          'put_records_failed',
          `${rejected.length} records still rejected after ${attempt} attempts (${lastError})`,
        );
      }
      left = rejected;
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, this.#backoff)));
    }
  }
}
