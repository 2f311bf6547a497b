import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../support/emulators.ts';

describe('emulators', () => {
  let aws: Emulators;
  beforeAll(async () => {
    aws = await startEmulators();
  });
  afterAll(() => aws.stop());

  it('listen on 127.0.0.1 random ports', () => {
    for (const url of Object.values(aws.endpoints))
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answer DynamoDB through the SDK', async () => {
    await aws.dynamodb.send(
      new CreateTableCommand({
        TableName: 'smoke',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const table = await aws.dynamodb.send(new DescribeTableCommand({ TableName: 'smoke' }));
    expect(table.Table?.TableStatus).toBe('ACTIVE');
  });

  it('answer Kinesis through the SDK with the HTTP/1 handler', async () => {
    await aws.kinesis.send(new CreateStreamCommand({ StreamName: 'smoke', ShardCount: 1 }));
    const summary = await aws.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: 'smoke' }),
    );
    expect(summary.StreamDescriptionSummary?.OpenShardCount).toBe(1);
  });

  it('answer SQS and SNS through the SDK', async () => {
    const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: 'smoke' }));
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
    const received = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }),
    );
    expect(received.Messages?.[0]?.Body).toBe('hello');
    const topic = await aws.sns.send(new CreateTopicCommand({ Name: 'smoke' }));
    expect(topic.TopicArn).toMatch(/^arn:aws:sns:us-east-1:/);
  });
});
