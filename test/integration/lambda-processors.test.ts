import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/adapters/aws/kinesis-envelope.ts';
import { SqsDeadLetters } from '../../src/adapters/aws/sqs-dead-letters.ts';
import { createRetryQueuePair, type RetryQueuePair } from '../../src/adapters/aws/sqs-queues.ts';
import { SqsRetryQueue } from '../../src/adapters/aws/sqs-retry-queue.ts';
import { CONTEXT_ATTRIBUTE } from '../../src/kit/context/index.ts';
import { NonRetryableError } from '../../src/kit/stream/errors.ts';
import { defineProcessor, type FailurePolicy } from '../../src/kit/stream/processor.ts';
import type { StreamRecord } from '../../src/kit/stream/types.ts';
import { createKinesisHandler } from '../../src/runtime/lambda/kinesis-handler.ts';
import { createRetryWorkerHandler } from '../../src/runtime/lambda/sqs-handler.ts';
import { type Emulators, startEmulators } from '../support/emulators.ts';
import { awsFixture, kinesisRecordWith, sqsEvent } from '../support/lambda-events.ts';

let aws: Emulators;
beforeAll(async () => {
  aws = await startEmulators({ dynamodb: false, kinesis: false });
});
afterAll(() => aws.stop());

const noBackoff = { initialMs: 1, factor: 1, maxMs: 1, jitter: 'none' } as const;

async function setup(policy: FailurePolicy, fail: (record: StreamRecord) => boolean) {
  const name = `p-${randomUUID().slice(0, 8)}`;
  const pair: RetryQueuePair = await createRetryQueuePair(aws.sqs, name, { maxReceiveCount: 3 });
  const seen: StreamRecord[] = [];
  const processor = defineProcessor({
    name,
    stream: 'links',
    policy,
    handler: (record) => {
      seen.push(record);
      if (fail(record)) throw new Error(`fails on ${record.sequenceNumber}`);
    },
  });
  const retryQueue = new SqsRetryQueue({ client: aws.sqs, queueUrls: { [name]: pair.retryUrl } });
  const deadLetters = new SqsDeadLetters({ client: aws.sqs, queueUrls: { [name]: pair.dlqUrl } });
  return { name, pair, seen, processor, retryQueue, deadLetters };
}

describe('Kinesis processor handler', () => {
  it('handles the AWS sample batch in order, decoding plain JSON data', async () => {
    const t = await setup({ kind: 'skip' }, () => false);
    const handler = createKinesisHandler(t.processor, t);
    const event = awsFixture<Parameters<typeof handler>[0]>('aws-kinesis-stream.json');
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(t.seen.map((r) => r.sequenceNumber)).toEqual(
      event.Records.map((r) => r.kinesis.sequenceNumber),
    );
    expect(t.seen[0]).toMatchObject({
      stream: 'links',
      shardId: 'shardId-000000000000',
      partitionKey: '0',
      data: { title: 'favorite movies', user: 'rdlysct', type: 'rank' },
      arrivedAt: 1570667770615,
    });
  });

  it('halt: reports the failed record so Lambda checkpoints before it, and stops there', async () => {
    const records = ['1', '2', '3', '4'].map((seq) => kinesisRecordWith(encodeRecord({}, {}), seq));
    const t = await setup({ kind: 'halt', backoff: noBackoff }, (r) => r.sequenceNumber === '2');
    const handler = createKinesisHandler(t.processor, t);
    expect(await handler({ Records: records })).toEqual({
      batchItemFailures: [{ itemIdentifier: '2' }],
    });
    expect(t.seen.map((r) => r.sequenceNumber)).toEqual(['1', '2']);
    expect(await t.retryQueue.depth(t.name)).toBe(0);
  });

  it('halt: a failing record older than maxRecordAge is dead-lettered and the batch goes on', async () => {
    // The AWS sample records arrived in 2019, far past the default 24 h.
    const event = awsFixture<{ Records: Array<{ kinesis: { sequenceNumber: string } }> }>(
      'aws-kinesis-stream.json',
    );
    const bad = event.Records[1]?.kinesis.sequenceNumber;
    const t = await setup({ kind: 'halt', backoff: noBackoff }, (r) => r.sequenceNumber === bad);
    const handler = createKinesisHandler(t.processor, t);
    expect(await handler(event as never)).toEqual({ batchItemFailures: [] });
    expect(t.seen).toHaveLength(4);
    const [letter] = await t.deadLetters.list({ processor: t.name });
    expect(letter?.record.sequenceNumber).toBe(bad);
  });

  it('retry: sends the whole failed record to the SQS retry queue and goes on', async () => {
    const context = JSON.stringify({ 'x-correlation-id': 'corr-1' });
    const data = encodeRecord(
      { type: 'link.visited', code: 'abc' },
      { [CONTEXT_ATTRIBUTE]: context },
    );
    const records = ['1', '2', '3'].map((seq) => kinesisRecordWith(data, seq, 'abc'));
    const t = await setup(
      { kind: 'retry', retries: 1, budgetMs: 1000, backoff: noBackoff },
      (r) => r.sequenceNumber === '2',
    );
    const handler = createKinesisHandler(t.processor, t);
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(t.seen.map((r) => r.sequenceNumber)).toEqual(['1', '2', '2', '3']);
    const [queued] = await t.retryQueue.receive(t.name, { max: 10, visibilityMs: 30_000 });
    expect(queued).toMatchObject({
      processor: t.name,
      attempts: 2,
      error: { message: 'fails on 2' },
      record: {
        sequenceNumber: '2',
        partitionKey: 'abc',
        data: { type: 'link.visited', code: 'abc' },
        attributes: { [CONTEXT_ATTRIBUTE]: context },
      },
    });
  });

  it('retry: a record that cannot be queued halts the batch (it is not finished)', async () => {
    const t = await setup({ kind: 'retry', retries: 0, backoff: noBackoff }, () => true);
    const handler = createKinesisHandler(t.processor, {
      ...t,
      retryQueue: new SqsRetryQueue({
        client: aws.sqs,
        queueUrls: { [t.name]: `${t.pair.retryUrl}-missing` },
      }),
    });
    const records = ['7', '8'].map((seq) => kinesisRecordWith(encodeRecord({}, {}), seq));
    expect(await handler({ Records: records })).toEqual({
      batchItemFailures: [{ itemIdentifier: '7' }],
    });
  });

  it('stops before the Lambda deadline and reports the unfinished record', async () => {
    const t = await setup(
      { kind: 'retry', retries: 5, budgetMs: 10_000, backoff: noBackoff },
      () => true,
    );
    const handler = createKinesisHandler(t.processor, t);
    const records = ['5', '6'].map((seq) => kinesisRecordWith(encodeRecord({}, {}), seq));
    // 1 s left: within the safety margin, so the handler must not start retrying.
    const result = await handler({ Records: records }, { getRemainingTimeInMillis: () => 1_000 });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '5' }] });
    expect(await t.retryQueue.depth(t.name)).toBe(0);
  });

  it('makes buffered effects durable before returning, and replays the batch when it cannot', async () => {
    const name = `p-${randomUUID().slice(0, 8)}`;
    const pair = await createRetryQueuePair(aws.sqs, name, { maxReceiveCount: 3 });
    let flushes = 0;
    let failFlush = false;
    const processor = defineProcessor({
      name,
      stream: 'links',
      policy: { kind: 'skip' },
      handler: () => {},
      flush: () => {
        flushes++;
        if (failFlush) throw new Error('table throttled');
      },
    });
    const deps = {
      retryQueue: new SqsRetryQueue({ client: aws.sqs, queueUrls: { [name]: pair.retryUrl } }),
      deadLetters: new SqsDeadLetters({ client: aws.sqs, queueUrls: { [name]: pair.dlqUrl } }),
    };
    const handler = createKinesisHandler(processor, deps);
    const records = ['11', '12'].map((seq) => kinesisRecordWith(encodeRecord({}, {}), seq));
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(flushes).toBe(1);
    failFlush = true;
    expect(await handler({ Records: records })).toEqual({
      batchItemFailures: [{ itemIdentifier: '11' }],
    });
  });

  it('answers an empty batch with no failures', async () => {
    const t = await setup({ kind: 'skip' }, () => false);
    expect(await createKinesisHandler(t.processor, t)({ Records: [] })).toEqual({
      batchItemFailures: [],
    });
  });
});

describe('SQS retry-worker handler', () => {
  const record: StreamRecord = {
    stream: 'links',
    shardId: 'shardId-000000000000',
    sequenceNumber: '42',
    partitionKey: 'abc',
    data: { type: 'link.visited', code: 'abc' },
    attributes: {},
    arrivedAt: 1,
  };
  const body = (processor: string) =>
    JSON.stringify({ processor, record, error: { name: 'Error', message: 'first' }, attempts: 3 });

  it('reports only the messages that failed and may be retried', async () => {
    let calls = 0;
    const t = await setup(
      { kind: 'retry', maxReceives: 3, backoff: noBackoff },
      () => ++calls === 2,
    );
    const handler = createRetryWorkerHandler(t.processor, t);
    const event = sqsEvent([
      { messageId: 'm1', body: body(t.name) },
      { messageId: 'm2', body: body(t.name) },
      { messageId: 'm3', body: body(t.name) },
    ]);
    expect(await handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(t.seen).toHaveLength(3);
    expect(await t.deadLetters.depth(t.name)).toBe(0);
  });

  it('dead-letters after maxReceives and acknowledges, so SQS deletes it', async () => {
    const t = await setup({ kind: 'retry', maxReceives: 3, backoff: noBackoff }, () => true);
    const handler = createRetryWorkerHandler(t.processor, t);
    const event = sqsEvent([{ messageId: 'last', body: body(t.name), receives: 3 }]);
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    const [letter] = await t.deadLetters.list({ processor: t.name });
    expect(letter).toMatchObject({
      processor: t.name,
      record,
      receives: 3,
      error: { message: 'fails on 42' },
    });
  });

  it('dead-letters a permanent error at once', async () => {
    const t = await setup({ kind: 'retry', maxReceives: 5 }, () => false);
    const processor = defineProcessor({
      name: t.name,
      stream: 'links',
      policy: { kind: 'retry', maxReceives: 5 },
      handler: () => {
        throw new NonRetryableError('bad data');
      },
    });
    const handler = createRetryWorkerHandler(processor, t);
    expect(await handler(sqsEvent([{ messageId: 'p1', body: body(t.name) }]))).toEqual({
      batchItemFailures: [],
    });
    expect(await t.deadLetters.depth(t.name)).toBe(1);
  });

  it('reports unreadable messages (the AWS sample bodies) so the redrive policy takes them', async () => {
    const t = await setup({ kind: 'retry' }, () => false);
    const handler = createRetryWorkerHandler(t.processor, t);
    const event = awsFixture<Parameters<typeof handler>[0]>('aws-sqs.json');
    const result = await handler(event);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      event.Records.map((r) => r.messageId).sort(),
    );
    expect(t.seen).toHaveLength(0);
  });
});
