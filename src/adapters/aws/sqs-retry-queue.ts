import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { FailedRecord, RetryMessage, RetryQueue } from '../../kit/stream/ports.ts';
import { AwsAdapterError } from './errors.ts';
import { contextAttribute, messageStats, parseFailedRecord } from './sqs-message.ts';

/** SQS limits: 10 messages per receive, visibility at most 12 hours. */
const MAX_RECEIVE = 10;
const MAX_VISIBILITY_S = 12 * 60 * 60;

export interface SqsRetryQueueOptions {
  client: SQSClient;
  /** The retry queue URL of each processor. */
  queueUrls: Readonly<Record<string, string>>;
}

const seconds = (ms: number) => Math.min(MAX_VISIBILITY_S, Math.max(0, Math.ceil(ms / 1000)));

/**
 * RetryQueue on SQS, one queue per processor, each with a redrive policy to its DLQ. SQS keeps
 * the receive count and moves a message to the DLQ after `maxReceiveCount` receives.
 *
 * SQS cannot change an in-flight message, so `release` only delays redelivery (visibility):
 * the body keeps the error of the first failure, and `attempts` on receive is derived as the
 * attempts at enqueue plus the receives before this one.
 *
 * @example
 * const queue = new SqsRetryQueue({ client, queueUrls: { 'visit-counter': url } });
 * await queue.send({ processor: 'visit-counter', record, error, attempts: 3 });
 */
export class SqsRetryQueue implements RetryQueue {
  readonly #client: SQSClient;
  readonly #urls: Readonly<Record<string, string>>;

  constructor(options: SqsRetryQueueOptions) {
    this.#client = options.client;
    this.#urls = options.queueUrls;
  }

  async send(failed: FailedRecord): Promise<void> {
    await this.#client.send(
      new SendMessageCommand({
        QueueUrl: this.#url(failed.processor),
        MessageBody: JSON.stringify(failed),
        MessageAttributes: contextAttribute(failed.record.attributes),
      }),
    );
  }

  async receive(
    processor: string,
    options: { max: number; visibilityMs: number },
  ): Promise<RetryMessage[]> {
    const { Messages = [] } = await this.#client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#url(processor),
        MaxNumberOfMessages: Math.max(1, Math.min(MAX_RECEIVE, options.max)),
        VisibilityTimeout: seconds(options.visibilityMs),
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        WaitTimeSeconds: 0,
      }),
    );
    return Messages.map((message) => {
      const body = parseFailedRecord(message.Body);
      const { receives, sentAt } = messageStats(message);
      return {
        processor: body.processor,
        record: body.record,
        error: body.error,
        attempts: body.attempts + receives - 1,
        id: message.MessageId ?? '',
        receipt: message.ReceiptHandle ?? '',
        receives,
        enqueuedAt: sentAt,
      };
    });
  }

  async delete(processor: string, receipt: string): Promise<void> {
    await this.#client.send(
      new DeleteMessageCommand({ QueueUrl: this.#url(processor), ReceiptHandle: receipt }),
    );
  }

  async release(
    processor: string,
    receipt: string,
    update: { error: unknown; attempts: number; delayMs: number },
  ): Promise<void> {
    await this.#client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.#url(processor),
        ReceiptHandle: receipt,
        VisibilityTimeout: seconds(update.delayMs),
      }),
    );
  }

  async depth(processor: string): Promise<number> {
    const { Attributes = {} } = await this.#client.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.#url(processor),
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return Object.values(Attributes).reduce((sum, n) => sum + Number(n ?? 0), 0);
  }

  #url(processor: string): string {
    const url = this.#urls[processor];
    if (!url)
      throw new AwsAdapterError('unknown_processor', `no retry queue for processor ${processor}`);
    return url;
  }
}
