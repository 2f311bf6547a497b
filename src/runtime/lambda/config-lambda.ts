import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbConfigStore } from '../../adapters/aws/config-store-dynamodb.ts';
import { KmsCipher } from '../../adapters/aws/kms-cipher.ts';
import { type ConfigLogger, createConfigApp } from '../../config-service/index.ts';
import { createApiHandler } from './api-handler.ts';
import { requireEnv } from './settings.ts';

/** Environment of the config-service function (set by the CDK app). */
export const CONFIG_LAMBDA_ENV = {
  /** DynamoDB table of values, audit lines and API keys (see config-table.ts). Required. */
  table: 'SHORTLINE_CONFIG_TABLE',
  /** KMS key that seals plaintext secrets. Optional: without it, writers send envelopes. */
  kmsKeyId: 'SHORTLINE_CONFIG_KMS_KEY_ID',
} as const;

/**
 * The config service as its own Lambda function: the same hono app as the local server, on
 * DynamoDB, sealing secrets with KMS. The function needs `kms:GenerateDataKey` on the key, and
 * no `kms:Decrypt`: it never opens a secret, only the clients do.
 *
 * @example
 * export const handler = createConfigLambda(process.env, { dynamodb, kms }).handler;
 */
export function createConfigLambda(
  env: NodeJS.ProcessEnv,
  clients: { dynamodb: DynamoDBClient; kms?: KMSClient },
  logger?: ConfigLogger,
) {
  const store = new DynamoDbConfigStore({
    client: clients.dynamodb,
    tableName: requireEnv(env, CONFIG_LAMBDA_ENV.table),
  });
  const keyId = env[CONFIG_LAMBDA_ENV.kmsKeyId];
  const cipher = keyId && clients.kms ? new KmsCipher({ client: clients.kms, keyId }) : undefined;
  const app = createConfigApp({
    store,
    ...(cipher ? { cipher } : {}),
    ...(logger ? { logger } : {}),
  });
  return { handler: createApiHandler(app), app, store };
}
