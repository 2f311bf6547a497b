import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { contextToAttributes, type RequestContext } from '../../kit/context/index.ts';

export interface SnsPublisherOptions {
  client: SNSClient;
  topicArn: string;
}

/**
 * Pub/sub fan-out on SNS. Every message carries the correlation context as ONE message
 * attribute (SNS allows 10, and raw delivery to SQS passes them through), so a subscriber
 * restores it with `contextFromAttributes`.
 *
 * @example
 * const topic = new SnsPublisher({ client: new SNSClient({}), topicArn });
 * await topic.publish({ type: 'link.created', code });
 */
export class SnsPublisher {
  readonly #client: SNSClient;
  readonly #topicArn: string;

  constructor(options: SnsPublisherOptions) {
    this.#client = options.client;
    this.#topicArn = options.topicArn;
  }

  /** Publish one JSON message; resolves with the SNS message id. */
  async publish(message: unknown, context?: RequestContext): Promise<string> {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(contextToAttributes(context))) {
      attributes[name] = { DataType: 'String', StringValue: value };
    }
    const { MessageId } = await this.#client.send(
      new PublishCommand({
        TopicArn: this.#topicArn,
        Message: JSON.stringify(message),
        MessageAttributes: attributes,
      }),
    );
    return MessageId ?? '';
  }
}
