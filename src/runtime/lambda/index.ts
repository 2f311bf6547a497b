export { createApiHandler } from './api-handler.ts';
export { createApiLambda } from './api-lambda.ts';
export type { AwsClients } from './clients.ts';
export { dynamoDbClient, kinesisClient, sqsClient } from './clients.ts';
export {
  fromKinesisRecord,
  fromSqsRecord,
  isHttpEvent,
  isKinesisEvent,
  isSqsEvent,
} from './events.ts';
export type { KinesisHandlerDeps } from './kinesis-handler.ts';
export { createKinesisHandler } from './kinesis-handler.ts';
export { createProcessorLambda, createRetryWorkerLambda } from './processor-lambda.ts';
export { LAMBDA_PROCESSORS } from './processors.ts';
export { LAMBDA_ENV, LambdaConfigError } from './settings.ts';
export type { RetryWorkerHandlerDeps } from './sqs-handler.ts';
export { createRetryWorkerHandler } from './sqs-handler.ts';
