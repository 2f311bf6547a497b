import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/**
 * The DynamoDB config table, shared by the adapter, the tests and the CDK app. One table,
 * keyed by `pk` (partition) and `sk` (sort):
 *
 * | item | pk | sk |
 * |---|---|---|
 * | value | `ns#<namespace>` | `k#<key>` |
 * | audit line | `audit#<namespace>` | `<ISO time>#<monotonic ns>#<random>` (newest last) |
 * | API key | `apikey` | `<key id>` |
 */
export const CONFIG_TABLE = {
  namespacePrefix: 'ns#',
  keyPrefix: 'k#',
  auditPrefix: 'audit#',
  apiKeyPartition: 'apikey',
} as const;

/** The CreateTable request for a config table named `tableName` (on demand). */
export function configTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
  };
}

/**
 * Create a config table (tests and local experiments; on AWS the CDK app creates it).
 *
 * @example
 * await createConfigTable(client, `config-test-${randomUUID()}`);
 */
export async function createConfigTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(configTableDefinition(tableName)));
}
