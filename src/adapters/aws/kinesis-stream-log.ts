import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as KinesisRecord,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { NotFoundError } from '../../kit/stream/errors.ts';
import type { ReadOptions, StreamLog } from '../../kit/stream/ports.ts';
import type { StreamRecord } from '../../kit/stream/types.ts';
import { isAwsError } from './errors.ts';
import { decodeRecord } from './kinesis-envelope.ts';
import { KinesisStreamProducer } from './kinesis-producer.ts';

/** GetRecords calls one read makes while a shard answers empty pages but is behind. */
const MAX_EMPTY_PAGES = 5;

/**
 * Turn a Kinesis record into the kit's StreamRecord (envelope unwrapped).
 *
 * @example
 * toStreamRecord('links', 'shardId-000000000000', record);
 */
export function toStreamRecord(
  stream: string,
  shardId: string,
  record: KinesisRecord,
): StreamRecord {
  const { data, attributes } = decodeRecord(record.Data ?? new Uint8Array());
  return {
    stream,
    shardId,
    sequenceNumber: record.SequenceNumber ?? '0',
    partitionKey: record.PartitionKey ?? '',
    data,
    attributes,
    arrivedAt: record.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
  };
}

/**
 * StreamLog on Kinesis: the producer plus a shard reader. On Lambda the event source mapping
 * reads for us; this reader serves the CLI, tests and a processor run outside Lambda.
 *
 * @example
 * const log = new KinesisStreamLog({ client });
 * const [shard] = await log.shards('links');
 * const records = await log.read('links', shard, { limit: 100 });
 */
export class KinesisStreamLog extends KinesisStreamProducer implements StreamLog {
  readonly #client;
  readonly #name;

  constructor(options: ConstructorParameters<typeof KinesisStreamProducer>[0]) {
    super(options);
    this.#client = options.client;
    this.#name = options.streamName ?? ((stream: string) => stream);
  }

  async shards(stream: string): Promise<string[]> {
    const ids: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.#client.send(
          token
            ? new ListShardsCommand({ NextToken: token })
            : new ListShardsCommand({ StreamName: this.#name(stream) }),
        );
        for (const shard of page.Shards ?? []) if (shard.ShardId) ids.push(shard.ShardId);
        token = page.NextToken;
      } while (token);
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException'))
        throw new NotFoundError(`stream ${stream}`);
      throw error;
    }
    return ids.sort();
  }

  async read(stream: string, shardId: string, options: ReadOptions): Promise<StreamRecord[]> {
    const { ShardIterator } = await this.#client.send(
      new GetShardIteratorCommand({
        StreamName: this.#name(stream),
        ShardId: shardId,
        ...(options.after === undefined
          ? { ShardIteratorType: 'TRIM_HORIZON' }
          : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: options.after }),
      }),
    );
    const records: StreamRecord[] = [];
    let iterator = ShardIterator;
    // Kinesis may answer an empty page while data lies further on; follow a few pages.
    for (let empty = 0; iterator && records.length < options.limit && empty < MAX_EMPTY_PAGES; ) {
      const page = await this.#client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: options.limit - records.length }),
      );
      for (const record of page.Records ?? [])
        records.push(toStreamRecord(stream, shardId, record));
      if ((page.Records ?? []).length === 0) {
        if (!page.MillisBehindLatest) break;
        empty++;
      }
      iterator = page.NextShardIterator;
    }
    return records;
  }
}
