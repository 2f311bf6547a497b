// Lambda entry: a processor's retry worker on its SQS retry queue's event source mapping.
import { dynamoDbClient, sqsClient } from '../clients.ts';
import { createRetryWorkerLambda } from '../processor-lambda.ts';

export const handler = createRetryWorkerLambda(process.env, {
  dynamodb: dynamoDbClient(),
  sqs: sqsClient(),
});
