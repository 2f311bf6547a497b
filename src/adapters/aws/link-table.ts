import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/**
 * The DynamoDB links table, shared by the adapter, the tests and the CDK app so that the three
 * cannot drift apart.
 *
 * One item per link, keyed by `pk = "u#" + urlHash`, with a global secondary index on `code`
 * for redirects. The counter is one more item, `pk = "counter#links"`, with no `code`, so it
 * stays out of the index. Why this shape: see docs/aws.md ("One write per link").
 */
export const LINK_TABLE = {
  partitionKey: 'pk',
  codeIndex: 'byCode',
  codeAttribute: 'code',
  urlPrefix: 'u#',
  counterKey: 'counter#links',
} as const;

/** The CreateTable request for a links table named `tableName` (on demand). */
export function linkTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: LINK_TABLE.partitionKey, AttributeType: 'S' },
      { AttributeName: LINK_TABLE.codeAttribute, AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: LINK_TABLE.partitionKey, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: LINK_TABLE.codeIndex,
        KeySchema: [{ AttributeName: LINK_TABLE.codeAttribute, KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/**
 * Create a links table (tests and local experiments; on AWS the CDK app creates it).
 *
 * @example
 * await createLinkTable(client, `links-test-${randomUUID()}`);
 */
export async function createLinkTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(linkTableDefinition(tableName)));
}
