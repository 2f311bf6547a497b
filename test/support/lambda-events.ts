import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  KinesisStreamEvent,
  KinesisStreamRecord,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';

/** The AWS-published sample events, beside the repository (../shared/fixtures/aws). */
const FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures/aws');

/** A fixture, parsed fresh each time so tests can change their copy. */
export function awsFixture<T>(name: string): T {
  return JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8')) as T;
}

interface HttpRequest {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/**
 * An API Gateway REST (v1 proxy) event: the AWS sample with its method, path, body and
 * headers replaced (single- and multi-value headers kept consistent, as API Gateway sends them).
 */
export function restApiEvent(request: HttpRequest): APIGatewayProxyEvent {
  const event = awsFixture<APIGatewayProxyEvent>('aws-apigw-rest-v1-proxy.json');
  const headers = { ...event.headers, ...request.headers };
  event.httpMethod = request.method;
  event.path = request.path;
  event.pathParameters = { proxy: request.path.slice(1) };
  event.requestContext.path = `/${event.requestContext.stage}${request.path}`;
  event.requestContext.httpMethod = request.method;
  event.headers = headers;
  event.multiValueHeaders = Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, [v ?? '']]),
  );
  event.queryStringParameters = null;
  event.multiValueQueryStringParameters = null;
  event.body = request.body ?? null;
  event.isBase64Encoded = false;
  return event;
}

/** An HTTP API (payload v2) event: the AWS sample with method, path, body and headers replaced. */
export function httpApiEvent(request: HttpRequest): APIGatewayProxyEventV2 {
  const event = awsFixture<APIGatewayProxyEventV2>('aws-apigw-http-v2.json');
  event.rawPath = request.path;
  event.rawQueryString = '';
  delete event.queryStringParameters;
  delete event.cookies;
  event.requestContext.http.method = request.method;
  event.requestContext.http.path = request.path;
  event.headers = {
    ...event.headers,
    host: 'id.execute-api.us-east-1.amazonaws.com',
    ...request.headers,
  };
  if (request.body === undefined) delete event.body;
  else event.body = request.body;
  return event;
}

/**
 * A Kinesis event as the event source mapping delivers it, made of records read from the
 * stream with GetRecords (so data, keys and sequence numbers are the emulator's own).
 */
export function kinesisEvent(
  records: KinesisRecord[],
  streamArn: string,
  shardId: string,
): KinesisStreamEvent {
  const template = awsFixture<KinesisStreamEvent>('aws-kinesis-stream.json')
    .Records[0] as KinesisStreamRecord;
  return {
    Records: records.map((record) => ({
      ...template,
      eventSourceARN: streamArn,
      eventID: `${shardId}:${record.SequenceNumber}`,
      kinesis: {
        ...template.kinesis,
        partitionKey: record.PartitionKey ?? '',
        sequenceNumber: record.SequenceNumber ?? '',
        data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
        approximateArrivalTimestamp:
          (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
      },
    })),
  };
}

/** The AWS sample Kinesis record with its data replaced by `data` (bytes, base64-encoded). */
export function kinesisRecordWith(
  data: Uint8Array,
  sequenceNumber: string,
  partitionKey = 'p',
): KinesisStreamRecord {
  const template = awsFixture<KinesisStreamEvent>('aws-kinesis-stream.json')
    .Records[0] as KinesisStreamRecord;
  return {
    ...template,
    eventID: `shardId-000000000000:${sequenceNumber}`,
    kinesis: {
      ...template.kinesis,
      partitionKey,
      sequenceNumber,
      data: Buffer.from(data).toString('base64'),
      approximateArrivalTimestamp: Date.now() / 1000,
    },
  };
}

/** An SQS event: the AWS sample's first record per message, with id, body and receive count set. */
export function sqsEvent(
  messages: Array<{ messageId: string; receiptHandle?: string; body: string; receives?: number }>,
  queueArn = 'arn:aws:sqs:us-east-1:000000000000:visit-counter-retry',
): SQSEvent {
  const template = awsFixture<SQSEvent>('aws-sqs.json').Records[0] as SQSRecord;
  return {
    Records: messages.map((m) => ({
      ...template,
      messageId: m.messageId,
      receiptHandle: m.receiptHandle ?? `rh-${m.messageId}`,
      body: m.body,
      eventSourceARN: queueArn,
      attributes: { ...template.attributes, ApproximateReceiveCount: String(m.receives ?? 1) },
    })),
  };
}
