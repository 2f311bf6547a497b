import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fromKinesisRecord,
  fromSqsRecord,
  isHttpEvent,
  isKinesisEvent,
  isSqsEvent,
} from './events.ts';

const FIXTURES = resolve(import.meta.dirname, '../../../../shared/fixtures/aws');
const load = (name: string): unknown => JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8'));

describe('Lambda event shapes', () => {
  it('recognises each AWS sample by exactly one guard (or none, for shapes we do not handle)', () => {
    const expected: Record<string, string> = {
      'aws-apigw-rest-v1-proxy.json': 'http',
      'aws-apigw-rest-v1-captured.json': 'http',
      'aws-apigw-http-v2.json': 'http',
      // hono's adapter answers ALB target requests too.
      'aws-alb.json': 'http',
      'aws-kinesis-stream.json': 'kinesis',
      'aws-kinesis-stream-cloudwatch-logs.json': 'kinesis',
      'aws-sqs.json': 'sqs',
    };
    for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))) {
      const event = load(name);
      const kinds = [
        isHttpEvent(event) && 'http',
        isKinesisEvent(event) && 'kinesis',
        isSqsEvent(event) && 'sqs',
      ].filter(Boolean);
      expect([name, kinds]).toEqual([name, expected[name] ? [expected[name]] : []]);
    }
  });

  it('turns a Kinesis sample record into a StreamRecord of the logical stream', () => {
    const event = load('aws-kinesis-stream.json') as Parameters<typeof isKinesisEvent>[0] & {
      Records: Parameters<typeof fromKinesisRecord>[0][];
    };
    const [first] = event.Records;
    expect(first && fromKinesisRecord(first, 'links')).toMatchObject({
      stream: 'links',
      shardId: 'shardId-000000000000',
      partitionKey: '0',
      sequenceNumber: '49598630142999655949899443842509554952738656579378741250',
      arrivedAt: 1570667770615,
      attributes: {},
    });
  });

  it('reports SQS sample messages that are not retry messages instead of throwing', () => {
    const event = load('aws-sqs.json') as { Records: Parameters<typeof fromSqsRecord>[0][] };
    for (const record of event.Records)
      expect(fromSqsRecord(record)).toMatchObject({ ok: false, messageId: record.messageId });
  });
});
