import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetters, FailedRecord } from '../../kit/stream/ports.ts';
import { AwsAdapterError } from './errors.ts';
import { contextAttribute, messageStats, parseFailedRecord } from './sqs-message.ts';

export interface SqsDeadLettersOptions {
  client: SQSClient;
  /** The DLQ URL of each processor (the redrive target of its retry queue). */
  queueUrls: Readonly<Record<string, string>>;
  /** How long a scan hides the messages it has seen. Default 30 s. */
  scanVisibilityS?: number;
}

/** Stop a scan after this many messages: a DLQ that large wants a redrive, not a listing. */
const MAX_SCAN = 1_000;

function toDeadLetter(message: Message): DeadLetter {
  const body = parseFailedRecord(message.Body);
  const stats = messageStats(message);
  return {
    processor: body.processor,
    record: body.record,
    error: body.error,
    attempts: body.attempts,
    id: message.MessageId ?? '',
    // Messages moved by the redrive policy have no `receives` in the body; the SQS count is
    // approximate and also counts earlier scans.
    receives: body.receives ?? stats.receives,
    failedAt: body.failedAt ?? stats.sentAt,
  };
}

/**
 * DeadLetters on SQS dead-letter queues. Writes are plain sends; reads scan the queue (SQS has
 * no browse): they receive every message, hiding it briefly, and then make the ones kept
 * visible again. Two scans at once hide messages from each other, so these calls are for a
 * person at the CLI, not for a hot path.
 *
 * @example
 * const dlq = new SqsDeadLetters({ client, queueUrls: { 'visit-counter': dlqUrl } });
 * for (const letter of await dlq.list()) console.log(letter.id, letter.error.message);
 */
export class SqsDeadLetters implements DeadLetters {
  readonly #client: SQSClient;
  readonly #urls: Readonly<Record<string, string>>;
  readonly #visibility: number;

  constructor(options: SqsDeadLettersOptions) {
    this.#client = options.client;
    this.#urls = options.queueUrls;
    this.#visibility = options.scanVisibilityS ?? 30;
  }

  async put(letter: FailedRecord & { receives: number }): Promise<string> {
    const { MessageId } = await this.#client.send(
      new SendMessageCommand({
        QueueUrl: this.#select(letter.processor)[0],
        MessageBody: JSON.stringify({ ...letter, failedAt: Date.now() }),
        MessageAttributes: contextAttribute(letter.record.attributes),
      }),
    );
    if (!MessageId) throw new AwsAdapterError('no_message_id', 'SQS returned no MessageId');
    return MessageId;
  }

  async list(options: { processor?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    for (const url of this.#select(options.processor)) {
      await this.#scan(url, (message) => {
        letters.push(toDeadLetter(message));
        return false;
      });
    }
    letters.sort((a, b) => a.failedAt - b.failedAt);
    return options.limit === undefined ? letters : letters.slice(0, options.limit);
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    return (await this.list()).find((letter) => letter.id === id);
  }

  async remove(id: string): Promise<boolean> {
    let removed = false;
    for (const url of this.#select(undefined)) {
      await this.#scan(url, (message) => {
        const match = !removed && message.MessageId === id;
        if (match) removed = true;
        return match;
      });
      if (removed) break;
    }
    return removed;
  }

  async purge(processor?: string): Promise<number> {
    let count = 0;
    for (const url of this.#select(processor)) {
      await this.#scan(url, () => {
        count++;
        return true;
      });
    }
    return count;
  }

  async depth(processor?: string): Promise<number> {
    let total = 0;
    for (const url of this.#select(processor)) {
      const { Attributes = {} } = await this.#client.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      for (const n of Object.values(Attributes)) total += Number(n ?? 0);
    }
    return total;
  }

  /** Receive every message of a queue; delete those `remove` answers true for, release the rest. */
  async #scan(url: string, remove: (message: Message) => boolean): Promise<void> {
    const kept: Message[] = [];
    try {
      for (let seen = 0; seen < MAX_SCAN; ) {
        const { Messages = [] } = await this.#client.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: this.#visibility,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
            WaitTimeSeconds: 0,
          }),
        );
        if (Messages.length === 0) break;
        seen += Messages.length;
        const doomed = Messages.filter((message) => remove(message));
        kept.push(...Messages.filter((message) => !doomed.includes(message)));
        if (doomed.length > 0) await this.#batch(url, doomed, 'delete');
      }
    } finally {
      for (let i = 0; i < kept.length; i += 10)
        await this.#batch(url, kept.slice(i, i + 10), 'release');
    }
  }

  async #batch(url: string, messages: Message[], action: 'delete' | 'release'): Promise<void> {
    const entries = messages.map((m, i) => ({
      Id: String(i),
      ReceiptHandle: m.ReceiptHandle ?? '',
    }));
    await this.#client.send(
      action === 'delete'
        ? new DeleteMessageBatchCommand({ QueueUrl: url, Entries: entries })
        : new ChangeMessageVisibilityBatchCommand({
            QueueUrl: url,
            Entries: entries.map((e) => ({ ...e, VisibilityTimeout: 0 })),
          }),
    );
  }

  #select(processor: string | undefined): string[] {
    if (processor === undefined) return Object.values(this.#urls);
    const url = this.#urls[processor];
    if (!url)
      throw new AwsAdapterError(
        'unknown_processor',
        `no dead-letter queue for processor ${processor}`,
      );
    return [url];
  }
}
