import { randomUUID } from 'node:crypto';
import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll } from 'vitest';
import { KinesisStreamLog } from '../../src/adapters/aws/kinesis-stream-log.ts';
import { SqsDeadLetters } from '../../src/adapters/aws/sqs-dead-letters.ts';
import { createRetryQueuePair } from '../../src/adapters/aws/sqs-queues.ts';
import { SqsRetryQueue } from '../../src/adapters/aws/sqs-retry-queue.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import { SqliteDeadLetters } from '../../src/adapters/sqlite/dead-letters.ts';
import { SqliteRetryQueue } from '../../src/adapters/sqlite/retry-queue.ts';
import { SqliteStreamLog } from '../../src/adapters/sqlite/stream-log.ts';
import { type Emulators, startEmulators } from '../support/emulators.ts';
import { deadLettersContract } from './dead-letters.contract.ts';
import { retryQueueContract } from './retry-queue.contract.ts';
import { streamLogContract } from './stream-log.contract.ts';

let aws: Emulators | undefined;
beforeAll(async () => {
  aws = await startEmulators({ dynamodb: false });
});
afterAll(() => aws?.stop());

/** The emulators, and only them: the suites create and delete freely. */
function emulators(): Emulators {
  if (
    !aws?.endpoints.kinesis?.startsWith('http://127.0.0.1:') ||
    !aws.endpoints.sqs?.startsWith('http://127.0.0.1:')
  ) {
    throw new Error('refusing to run the contract on anything but the local emulators');
  }
  return aws;
}
const unique = () => `t-${randomUUID().slice(0, 12)}`;

streamLogContract('SQLite', async (shards) => {
  const log = new SqliteStreamLog(openDatabase(':memory:'));
  const stream = unique();
  log.createStream(stream, { shards });
  return { log, stream };
});
streamLogContract('Kinesis (kinesalite)', async (shards) => {
  const { kinesis } = emulators();
  const stream = unique();
  await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }));
  return { log: new KinesisStreamLog({ client: kinesis }), stream };
});

retryQueueContract('SQLite', async () => ({
  queue: new SqliteRetryQueue(openDatabase(':memory:')),
  processor: unique(),
}));
retryQueueContract('SQS (fauxqs)', async () => {
  const { sqs } = emulators();
  const processor = unique();
  const pair = await createRetryQueuePair(sqs, processor, { maxReceiveCount: 10 });
  return {
    queue: new SqsRetryQueue({ client: sqs, queueUrls: { [processor]: pair.retryUrl } }),
    processor,
  };
});

deadLettersContract('SQLite', async () => new SqliteDeadLetters(openDatabase(':memory:')));
deadLettersContract('SQS DLQ (fauxqs)', async (processors) => {
  const { sqs } = emulators();
  const prefix = unique();
  const queueUrls: Record<string, string> = {};
  for (const processor of processors) {
    queueUrls[processor] = (
      await createRetryQueuePair(sqs, `${prefix}-${processor}`, { maxReceiveCount: 3 })
    ).dlqUrl;
  }
  return new SqsDeadLetters({ client: sqs, queueUrls });
});
