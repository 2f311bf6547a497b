import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { DynamoDbLinkStats } from '../../adapters/aws/dynamodb-link-stats.ts';
import { SqsDeadLetters } from '../../adapters/aws/sqs-dead-letters.ts';
import { SqsRetryQueue } from '../../adapters/aws/sqs-retry-queue.ts';
import { createLogger } from '../../kit/log/index.ts';
import type { AwsClients } from './clients.ts';
import { createKinesisHandler } from './kinesis-handler.ts';
import { LAMBDA_PROCESSORS, type LambdaProcessorName } from './processors.ts';
import { LAMBDA_ENV, LambdaConfigError, requireEnv } from './settings.ts';
import { createRetryWorkerHandler } from './sqs-handler.ts';

type Clients = Pick<AwsClients, 'dynamodb' | 'sqs'>;

function resolve(env: NodeJS.ProcessEnv, clients: Clients) {
  const name = requireEnv(env, LAMBDA_ENV.processor);
  if (!(name in LAMBDA_PROCESSORS)) {
    throw new LambdaConfigError(
      `unknown processor ${name}; known: ${Object.keys(LAMBDA_PROCESSORS).join(', ')}`,
    );
  }
  const stats = new DynamoDbLinkStats({
    client: clients.dynamodb,
    tableName: requireEnv(env, LAMBDA_ENV.linksTable),
  });
  const processor = LAMBDA_PROCESSORS[name as LambdaProcessorName](stats);
  // JSON lines with each record's correlation ids; LOG_LEVEL as everywhere else.
  const logger = createLogger({ name: `shortline-${processor.name}`, env });
  const retryUrl = requireEnv(env, LAMBDA_ENV.retryQueueUrl);
  const dlqUrl = requireEnv(env, LAMBDA_ENV.deadLetterQueueUrl);
  return {
    processor,
    logger,
    retryUrl,
    retryQueue: new SqsRetryQueue({
      client: clients.sqs,
      queueUrls: { [processor.name]: retryUrl },
    }),
    deadLetters: new SqsDeadLetters({
      client: clients.sqs,
      queueUrls: { [processor.name]: dlqUrl },
    }),
  };
}

/**
 * A processor (chosen by SHORTLINE_PROCESSOR) as the handler of a Kinesis event source mapping.
 *
 * @example
 * export const handler = createProcessorLambda(process.env, { dynamodb, sqs });
 */
export function createProcessorLambda(env: NodeJS.ProcessEnv, clients: Clients) {
  const { processor, retryQueue, deadLetters, logger } = resolve(env, clients);
  return createKinesisHandler(processor, { retryQueue, deadLetters, logger });
}

/**
 * The same processor as the handler of its SQS retry queue's event source mapping.
 *
 * @example
 * export const handler = createRetryWorkerLambda(process.env, { dynamodb, sqs });
 */
export function createRetryWorkerLambda(env: NodeJS.ProcessEnv, clients: Clients) {
  const { processor, retryUrl, deadLetters, logger } = resolve(env, clients);
  return createRetryWorkerHandler(processor, {
    deadLetters,
    logger,
    setVisibility: async (receiptHandle, delayMs) => {
      await clients.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: retryUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: Math.ceil(delayMs / 1000),
        }),
      );
    },
  });
}
