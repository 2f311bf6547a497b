import { randomUUID } from 'node:crypto';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as KinesisRecord,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { createLinkTable } from '../../src/adapters/aws/link-table.ts';
import { createRetryQueuePair, type RetryQueuePair } from '../../src/adapters/aws/sqs-queues.ts';
import type { AwsClients } from '../../src/runtime/lambda/clients.ts';
import { LAMBDA_ENV } from '../../src/runtime/lambda/settings.ts';
import { randomAlphabet } from '../../src/shortener/codes.ts';
import type { Emulators } from './emulators.ts';

/** The resources the CDK app creates, made on the emulators with fresh names. */
export interface EmulatedStack {
  env: NodeJS.ProcessEnv;
  clients: AwsClients;
  tableName: string;
  streamName: string;
  streamArn: string;
  queues: RetryQueuePair;
  /** Every record of the stream's shards so far, as GetRecords returns them. */
  readStream(): Promise<Array<{ shardId: string; records: KinesisRecord[] }>>;
}

/**
 * Create a links table, an events stream and the visit counter's retry queue + DLQ on the
 * emulators, and the environment the Lambda functions would get from the CDK app.
 */
export async function createEmulatedStack(aws: Emulators): Promise<EmulatedStack> {
  const id = randomUUID().slice(0, 8);
  const tableName = `shortline-test-${id}-links`;
  const streamName = `shortline-test-${id}-links`;
  await createLinkTable(aws.dynamodb, tableName);
  await aws.kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
  const summary = await aws.kinesis.send(
    new DescribeStreamSummaryCommand({ StreamName: streamName }),
  );
  const queues = await createRetryQueuePair(aws.sqs, `shortline-test-${id}-visit-counter`, {
    maxReceiveCount: 3,
  });
  const env: NodeJS.ProcessEnv = {
    SHORTLINE_CODE_ALPHABET: randomAlphabet(),
    SHORTLINE_BASE_URL: 'https://sho.rt',
    SHORTLINE_CREATE_RATE_LIMIT: '0',
    LOG_LEVEL: 'silent',
    [LAMBDA_ENV.linksTable]: tableName,
    [LAMBDA_ENV.eventsStream]: streamName,
    [LAMBDA_ENV.processor]: 'visit-counter',
    [LAMBDA_ENV.retryQueueUrl]: queues.retryUrl,
    [LAMBDA_ENV.deadLetterQueueUrl]: queues.dlqUrl,
  };
  return {
    env,
    clients: { dynamodb: aws.dynamodb, kinesis: aws.kinesis, sqs: aws.sqs },
    tableName,
    streamName,
    streamArn: summary.StreamDescriptionSummary?.StreamARN ?? '',
    queues,
    async readStream() {
      const { Shards = [] } = await aws.kinesis.send(
        new ListShardsCommand({ StreamName: streamName }),
      );
      return Promise.all(
        Shards.map(async ({ ShardId = '' }) => {
          const { ShardIterator } = await aws.kinesis.send(
            new GetShardIteratorCommand({
              StreamName: streamName,
              ShardId,
              ShardIteratorType: 'TRIM_HORIZON',
            }),
          );
          const { Records = [] } = await aws.kinesis.send(new GetRecordsCommand({ ShardIterator }));
          return { shardId: ShardId, records: Records };
        }),
      );
    },
  };
}
