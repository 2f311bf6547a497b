/**
 * The one place where Lambda event shapes become the kit's own types. Each handler picks its
 * shape with a type guard and never reads the raw event again.
 */
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  KinesisStreamEvent,
  KinesisStreamRecord,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { decodeRecord } from '../../adapters/aws/kinesis-envelope.ts';
import { parseFailedRecord, toRetryMessage } from '../../adapters/aws/sqs-message.ts';
import type { RetryMessage } from '../../kit/stream/ports.ts';
import type { StreamRecord } from '../../kit/stream/types.ts';

const firstRecord = (event: unknown): Record<string, unknown> | undefined => {
  const records = (event as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) ? (records[0] as Record<string, unknown> | undefined) : undefined;
};

/** A Kinesis event source mapping batch. */
export function isKinesisEvent(event: unknown): event is KinesisStreamEvent {
  return firstRecord(event)?.eventSource === 'aws:kinesis';
}

/** An SQS event source mapping batch. */
export function isSqsEvent(event: unknown): event is SQSEvent {
  return firstRecord(event)?.eventSource === 'aws:sqs';
}

/** An API Gateway REST (v1 proxy) or HTTP API (v2) request (or an ALB one: same fields). */
export function isHttpEvent(
  event: unknown,
): event is APIGatewayProxyEvent | APIGatewayProxyEventV2 {
  const e = event as { requestContext?: unknown; httpMethod?: unknown; version?: unknown } | null;
  return (
    typeof e?.requestContext === 'object' &&
    (typeof e.httpMethod === 'string' || e.version === '2.0')
  );
}

/** `arn:aws:kinesis:us-east-1:123:stream/links` → `links`. */
export function streamNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** `shardId-000000000000:4954…` → `shardId-000000000000`. */
const shardIdOf = (eventId: string): string => eventId.split(':')[0] ?? eventId;

/**
 * A Kinesis event record as a StreamRecord, in the logical stream `stream` (the deployed name
 * carries a stage prefix the processor does not know about).
 *
 * @example
 * event.Records.map((r) => fromKinesisRecord(r, 'links'));
 */
export function fromKinesisRecord(record: KinesisStreamRecord, stream: string): StreamRecord {
  const { data, attributes } = decodeRecord(Buffer.from(record.kinesis.data, 'base64'));
  return {
    stream,
    shardId: shardIdOf(record.eventID),
    sequenceNumber: record.kinesis.sequenceNumber,
    partitionKey: record.kinesis.partitionKey,
    data,
    attributes,
    // Lambda gives seconds with a fraction.
    arrivedAt: Math.round(record.kinesis.approximateArrivalTimestamp * 1000),
  };
}

/** An SQS delivery: the retry message it holds, or why it cannot be read. */
export type SqsDelivery =
  | { messageId: string; ok: true; message: RetryMessage }
  | { messageId: string; ok: false; error: Error };

/**
 * An SQS event record from a retry queue as a RetryMessage (`receipt` is the receipt handle).
 *
 * @example
 * const deliveries = event.Records.map(fromSqsRecord);
 */
export function fromSqsRecord(record: SQSRecord): SqsDelivery {
  try {
    const message = toRetryMessage(parseFailedRecord(record.body), {
      id: record.messageId,
      receipt: record.receiptHandle,
      receives: Number(record.attributes.ApproximateReceiveCount ?? 1),
      sentAt: Number(record.attributes.SentTimestamp ?? Date.now()),
    });
    return { messageId: record.messageId, ok: true, message };
  } catch (error) {
    return { messageId: record.messageId, ok: false, error: error as Error };
  }
}
