// Lambda entry: one stream processor (SHORTLINE_PROCESSOR) on a Kinesis event source mapping.
import { dynamoDbClient, sqsClient } from '../clients.ts';
import { createProcessorLambda } from '../processor-lambda.ts';

export const handler = createProcessorLambda(process.env, {
  dynamodb: dynamoDbClient(),
  sqs: sqsClient(),
});
