import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A processor's retry queue and its dead-letter queue. */
export interface RetryQueuePair {
  retryUrl: string;
  retryArn: string;
  dlqUrl: string;
  dlqArn: string;
}

async function create(client: SQSClient, name: string, attributes: Record<string, string>) {
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  if (!QueueUrl) throw new Error(`queue ${name} has no URL`);
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl, arn: Attributes?.QueueArn ?? '' };
}

/**
 * Create a retry queue whose redrive policy moves a message to a DLQ after `maxReceiveCount`
 * receives (tests and local use; on AWS the CDK app creates the same pair).
 *
 * @example
 * const { retryUrl, dlqUrl } = await createRetryQueuePair(sqs, 'visit-counter', { maxReceiveCount: 3 });
 */
export async function createRetryQueuePair(
  client: SQSClient,
  name: string,
  options: { maxReceiveCount: number; visibilityTimeoutS?: number },
): Promise<RetryQueuePair> {
  const dlq = await create(client, `${name}-dlq`, {
    MessageRetentionPeriod: String(14 * 24 * 3600),
  });
  const retry = await create(client, `${name}-retry`, {
    VisibilityTimeout: String(options.visibilityTimeoutS ?? 30),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: options.maxReceiveCount,
    }),
  });
  return { retryUrl: retry.url, retryArn: retry.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
}
