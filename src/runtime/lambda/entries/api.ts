// Lambda entry: the shortener API (API Gateway REST or HTTP API events).
import { createApiLambda } from '../api-lambda.ts';
import { dynamoDbClient, kinesisClient } from '../clients.ts';

export const handler = createApiLambda(process.env, {
  dynamodb: dynamoDbClient(),
  kinesis: kinesisClient(),
}).handler;
