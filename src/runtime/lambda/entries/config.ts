// Lambda entry: the config service (API Gateway REST or HTTP API events).
import { KMSClient } from '@aws-sdk/client-kms';
import { dynamoDbClient } from '../clients.ts';
import { createConfigLambda } from '../config-lambda.ts';

export const handler = createConfigLambda(process.env, {
  dynamodb: dynamoDbClient(),
  kms: new KMSClient({}),
}).handler;
