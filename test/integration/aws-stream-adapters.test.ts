import { randomUUID } from 'node:crypto';
import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KinesisStreamLog } from '../../src/adapters/aws/kinesis-stream-log.ts';
import { SnsPublisher } from '../../src/adapters/aws/sns-publisher.ts';
import { SqsDeadLetters } from '../../src/adapters/aws/sqs-dead-letters.ts';
import { createRetryQueuePair } from '../../src/adapters/aws/sqs-queues.ts';
import { SqsRetryQueue } from '../../src/adapters/aws/sqs-retry-queue.ts';
import {
  CONTEXT_ATTRIBUTE,
  contextFromAttributes,
  newContext,
  runWithContext,
} from '../../src/kit/context/index.ts';
import type { StreamRecord } from '../../src/kit/stream/types.ts';
import { type Emulators, startEmulators } from '../support/emulators.ts';
import { eventually } from '../support/eventually.ts';
import { injectPutRecordsFaults } from '../support/kinesis-faults.ts';

let aws: Emulators;
beforeAll(async () => {
  aws = await startEmulators({ dynamodb: false });
});
afterAll(() => aws.stop());

async function newStream(shards = 1): Promise<string> {
  const name = `test-links-${randomUUID()}`;
  await aws.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  return name;
}

describe('Kinesis producer', () => {
  it('splits large appends into PutRecords calls of at most 500 and keeps input order', async () => {
    const stream = await newStream(2);
    const log = new KinesisStreamLog({ client: aws.kinesis });
    const faults = injectPutRecordsFaults(aws.kinesis, () => false);
    const records = Array.from({ length: 1201 }, (_, i) => ({
      partitionKey: `k${i % 7}`,
      data: { i },
    }));
    const results = await log.append(stream, records);
    faults.remove();
    expect(faults.calls).toEqual([500, 500, 201]);
    expect(results).toHaveLength(1201);
    const shards = await log.shards(stream);
    expect(shards).toHaveLength(2);
    const read = (
      await Promise.all(shards.map((s) => log.read(stream, s, { limit: 2000 })))
    ).flat();
    expect(read.map((r) => (r.data as { i: number }).i).sort((a, b) => a - b)).toEqual(
      records.map((_, i) => i),
    );
    // Each result names where its own record landed.
    const bySeq = new Map(read.map((r) => [r.sequenceNumber, r]));
    results.forEach((result, i) => {
      expect(bySeq.get(result.sequenceNumber)?.data).toEqual({ i });
    });
  });

  it('resends only the records a partial failure rejected', async () => {
    const stream = await newStream();
    const log = new KinesisStreamLog({ client: aws.kinesis });
    const faults = injectPutRecordsFaults(aws.kinesis, (call, i) => call === 1 && i % 3 === 0);
    const records = Array.from({ length: 10 }, (_, i) => ({ partitionKey: 'p', data: { i } }));
    const results = await log.append(stream, records);
    faults.remove();
    expect(faults.calls).toEqual([10, 4]);
    const [shard = ''] = await log.shards(stream);
    const read = await log.read(stream, shard, { limit: 100 });
    expect(read).toHaveLength(10); // nothing lost, nothing duplicated
    expect(new Set(results.map((r) => r.sequenceNumber)).size).toBe(10);
  });

  it('gives up with a coded error when records keep being rejected', async () => {
    const stream = await newStream();
    const log = new KinesisStreamLog({
      client: aws.kinesis,
      maxAttempts: 3,
      backoff: { initialMs: 1, factor: 1, maxMs: 1, jitter: 'none' },
    });
    const faults = injectPutRecordsFaults(aws.kinesis, (_, i) => i === 0);
    await expect(log.append(stream, [{ partitionKey: 'p', data: 1 }])).rejects.toMatchObject({
      code: 'put_records_failed',
    });
    faults.remove();
    expect(faults.calls).toEqual([1, 1, 1]);
  });

  it('carries the correlation context and reads after a sequence number', async () => {
    const stream = await newStream();
    const log = new KinesisStreamLog({ client: aws.kinesis });
    const context = newContext(true);
    const [first] = await runWithContext(context, () =>
      log.append(stream, [
        { partitionKey: 'a', data: { n: 1 } },
        { partitionKey: 'a', data: { n: 2 }, attributes: { extra: 'x' } },
      ]),
    );
    const [shard = ''] = await log.shards(stream);
    const after: StreamRecord[] = await log.read(stream, shard, {
      after: first?.sequenceNumber ?? '',
      limit: 10,
    });
    expect(after.map((r) => r.data)).toEqual([{ n: 2 }]);
    expect(after[0]?.attributes.extra).toBe('x');
    expect(contextFromAttributes(after[0]?.attributes)).toEqual(context);
  });
});

describe('SQS retry queue and DLQ', () => {
  const record: StreamRecord = {
    stream: 'links',
    shardId: 'shardId-000000000000',
    sequenceNumber: '1',
    partitionKey: 'abc',
    data: { type: 'link.visited', code: 'abc' },
    attributes: { [CONTEXT_ATTRIBUTE]: JSON.stringify({ 'x-correlation-id': 'c-1' }) },
    arrivedAt: 1,
  };

  it('moves a message to the DLQ after maxReceiveCount receives (redrive policy)', async () => {
    const processor = `p-${randomUUID().slice(0, 8)}`;
    const pair = await createRetryQueuePair(aws.sqs, processor, { maxReceiveCount: 2 });
    const queue = new SqsRetryQueue({ client: aws.sqs, queueUrls: { [processor]: pair.retryUrl } });
    const dlq = new SqsDeadLetters({ client: aws.sqs, queueUrls: { [processor]: pair.dlqUrl } });
    await queue.send({ processor, record, error: { name: 'Error', message: 'boom' }, attempts: 3 });
    expect(await queue.depth(processor)).toBe(1);

    for (const receives of [1, 2]) {
      const [message] = await eventually(async () => {
        const got = await queue.receive(processor, { max: 10, visibilityMs: 0 });
        expect(got).toHaveLength(1);
        return got;
      });
      expect(message).toMatchObject({ receives, attempts: 2 + receives, record });
    }
    // The third receive finds nothing: SQS moved the message to the DLQ.
    await eventually(async () => {
      expect(await queue.receive(processor, { max: 10, visibilityMs: 0 })).toEqual([]);
      expect(await dlq.depth(processor)).toBe(1);
    });
    const [letter] = await dlq.list({ processor });
    expect(letter).toMatchObject({ processor, record, attempts: 3 });
    expect(await dlq.get(letter?.id ?? '')).toMatchObject({ id: letter?.id });
    expect(await dlq.remove(letter?.id ?? '')).toBe(true);
    expect(await dlq.remove(letter?.id ?? '')).toBe(false);
    expect(await dlq.depth(processor)).toBe(0);
  });

  it('delete acknowledges and release makes a message visible again', async () => {
    const processor = `p-${randomUUID().slice(0, 8)}`;
    const pair = await createRetryQueuePair(aws.sqs, processor, { maxReceiveCount: 5 });
    const queue = new SqsRetryQueue({ client: aws.sqs, queueUrls: { [processor]: pair.retryUrl } });
    await queue.send({ processor, record, error: { name: 'Error', message: 'boom' }, attempts: 1 });
    const [first] = await queue.receive(processor, { max: 1, visibilityMs: 60_000 });
    expect(await queue.receive(processor, { max: 1, visibilityMs: 60_000 })).toEqual([]);
    await queue.release(processor, first?.receipt ?? '', {
      error: { name: 'Error', message: 'again' },
      attempts: 2,
      delayMs: 0,
    });
    const [second] = await eventually(async () => {
      const got = await queue.receive(processor, { max: 1, visibilityMs: 60_000 });
      expect(got).toHaveLength(1);
      return got;
    });
    // Released by resending: a new SQS message with the same record and the count carried on.
    expect(second).toMatchObject({ record: first?.record, receives: 2, attempts: 2 });
    await queue.delete(processor, second?.receipt ?? '');
    expect(await queue.depth(processor)).toBe(0);
  });
});

describe('SNS publisher', () => {
  it('fans out with the correlation context as one attribute (raw delivery to SQS)', async () => {
    const { TopicArn = '' } = await aws.sns.send(
      new CreateTopicCommand({ Name: `t-${randomUUID()}` }),
    );
    const pair = await createRetryQueuePair(aws.sqs, `sub-${randomUUID().slice(0, 8)}`, {
      maxReceiveCount: 3,
    });
    await aws.sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: pair.retryArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const context = newContext();
    const publisher = new SnsPublisher({ client: aws.sns, topicArn: TopicArn });
    await runWithContext(context, () => publisher.publish({ type: 'link.created', code: 'abc' }));
    const message = await eventually(async () => {
      const { Messages = [] } = await aws.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: pair.retryUrl, MessageAttributeNames: ['All'] }),
      );
      expect(Messages).toHaveLength(1);
      return Messages[0];
    });
    expect(JSON.parse(message?.Body ?? '')).toEqual({ type: 'link.created', code: 'abc' });
    expect(Object.keys(message?.MessageAttributes ?? {})).toEqual([CONTEXT_ATTRIBUTE]);
    const value = message?.MessageAttributes?.[CONTEXT_ATTRIBUTE]?.StringValue;
    expect(contextFromAttributes({ [CONTEXT_ATTRIBUTE]: value ?? '' })).toEqual(context);
  });
});
