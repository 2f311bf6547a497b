import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { CONTEXT_ATTRIBUTE } from '../../kit/context/index.ts';
import type { FailedRecord, RetryMessage } from '../../kit/stream/ports.ts';
import { AwsAdapterError } from './errors.ts';

/** The body of a retry-queue or dead-letter message: the whole failed record, as JSON. */
export interface FailedRecordBody extends FailedRecord {
  /**
   * Receives before this message was (re)sent: a released retry message carries its count
   * forward; a dead letter put by a worker records its total.
   */
  receives?: number;
  failedAt?: number;
}

/**
 * The one SQS message attribute that carries the correlation context, copied from the
 * record's attributes so a consumer can restore it without parsing the body.
 */
export function contextAttribute(
  attributes: Readonly<Record<string, string>>,
): Record<string, MessageAttributeValue> {
  const value = attributes[CONTEXT_ATTRIBUTE];
  return value === undefined
    ? {}
    : { [CONTEXT_ATTRIBUTE]: { DataType: 'String', StringValue: value } };
}

/**
 * Parse a message body written by {@link SqsRetryQueue} or {@link SqsDeadLetters}. A body that
 * is not one of ours is an error with code `bad_message`: the caller dead-letters it.
 *
 * @example
 * const failed = parseFailedRecord(message.Body);
 */
export function parseFailedRecord(body: string | undefined): FailedRecordBody {
  let value: unknown;
  try {
    value = JSON.parse(body ?? '');
  } catch (error) {
    throw new AwsAdapterError('bad_message', 'message body is not JSON', { cause: error });
  }
  const v = value as Partial<FailedRecordBody> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.processor !== 'string' ||
    typeof v.record !== 'object' ||
    v.record === null ||
    typeof v.attempts !== 'number' ||
    typeof v.error !== 'object'
  ) {
    throw new AwsAdapterError('bad_message', 'message body is not a failed record');
  }
  return v as FailedRecordBody;
}

/** Receive count and send time from a message's system attributes. */
export function messageStats(message: Message): { receives: number; sentAt: number } {
  return {
    receives: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
    sentAt: Number(message.Attributes?.SentTimestamp ?? Date.now()),
  };
}

/**
 * A retry message from its body and delivery. SQS counts receives of this copy only; the body
 * carries earlier ones, and each earlier delivery of this copy was one handler attempt.
 *
 * @example
 * toRetryMessage(body, { id, receipt, receives: 1, sentAt: Date.now() });
 */
export function toRetryMessage(
  body: FailedRecordBody,
  delivery: { id: string; receipt: string; receives: number; sentAt: number },
): RetryMessage {
  return {
    processor: body.processor,
    record: body.record,
    error: body.error,
    attempts: body.attempts + delivery.receives - 1,
    id: delivery.id,
    receipt: delivery.receipt,
    receives: (body.receives ?? 0) + delivery.receives,
    enqueuedAt: delivery.sentAt,
  };
}
