import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { FailedRecord, RetryMessage, RetryQueue } from '../../kit/stream/ports.ts';
import type { ErrorInfo } from '../../kit/stream/types.ts';
import { AwsAdapterError } from './errors.ts';
import {
  contextAttribute,
  type FailedRecordBody,
  messageStats,
  parseFailedRecord,
  toRetryMessage,
} from './sqs-message.ts';

/** SQS limits: 10 messages per receive, visibility at most 12 hours. */
const MAX_RECEIVE = 10;
const MAX_VISIBILITY_S = 12 * 60 * 60;
const MAX_DELAY_S = 15 * 60;

export interface SqsRetryQueueOptions {
  client: SQSClient;
  /** The retry queue URL of each processor. */
  queueUrls: Readonly<Record<string, string>>;
}

const seconds = (ms: number) => Math.min(MAX_VISIBILITY_S, Math.max(0, Math.ceil(ms / 1000)));

/**
 * RetryQueue on SQS, one queue per processor, each with a redrive policy to its DLQ.
 *
 * SQS cannot change an in-flight message, so `release` sends the message again with the
 * latest error, attempts and receive count in its body (delayed by up to 15 minutes) and then
 * deletes the delivered one: a crash in between duplicates a retry, never loses one. The
 * receive count reported is the one carried in the body plus SQS's own count, so the worker's
 * `maxReceives` holds across releases; the redrive policy stays as the backstop for a worker
 * that dies mid-message.
 *
 * @example
 * const queue = new SqsRetryQueue({ client, queueUrls: { 'visit-counter': url } });
 * await queue.send({ processor: 'visit-counter', record, error, attempts: 3 });
 */
export class SqsRetryQueue implements RetryQueue {
  readonly #client: SQSClient;
  readonly #urls: Readonly<Record<string, string>>;
  /** Bodies of messages received and not yet deleted or released, by receipt handle. */
  readonly #inFlight = new Map<string, RetryMessage>();

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
      const stats = messageStats(message);
      const retry = toRetryMessage(parseFailedRecord(message.Body), {
        id: message.MessageId ?? '',
        receipt: message.ReceiptHandle ?? '',
        ...stats,
      });
      this.#inFlight.set(retry.receipt, retry);
      return retry;
    });
  }

  async delete(processor: string, receipt: string): Promise<void> {
    this.#inFlight.delete(receipt);
    await this.#client.send(
      new DeleteMessageCommand({ QueueUrl: this.#url(processor), ReceiptHandle: receipt }),
    );
  }

  async release(
    processor: string,
    receipt: string,
    update: { error: ErrorInfo; attempts: number; delayMs: number },
  ): Promise<void> {
    const message = this.#inFlight.get(receipt);
    this.#inFlight.delete(receipt);
    if (!message) {
      // Received elsewhere: all we can do is delay it; its body keeps the older error.
      await this.#client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.#url(processor),
          ReceiptHandle: receipt,
          VisibilityTimeout: seconds(update.delayMs),
        }),
      );
      return;
    }
    const body: FailedRecordBody = {
      processor: message.processor,
      record: message.record,
      error: update.error,
      attempts: update.attempts,
      receives: message.receives,
    };
    await this.#client.send(
      new SendMessageCommand({
        QueueUrl: this.#url(processor),
        MessageBody: JSON.stringify(body),
        MessageAttributes: contextAttribute(message.record.attributes),
        DelaySeconds: Math.min(MAX_DELAY_S, seconds(update.delayMs)),
      }),
    );
    await this.delete(processor, receipt);
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
