import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { ApiKeyRecord, AuditEntry, StoredEntry } from '../../config-service/ports.ts';

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

/** An item as the document client reads it. */
export type Row = Record<string, unknown>;

/** The key of a value item. */
export const valueKey = (namespace: string, key: string) => ({
  pk: `${CONFIG_TABLE.namespacePrefix}${namespace}`,
  sk: `${CONFIG_TABLE.keyPrefix}${key}`,
});

export const toEntry = (row: Row): StoredEntry => ({
  namespace: String(row.namespace),
  key: String(row.key),
  version: Number(row.version),
  secret: row.secret === true,
  value: JSON.parse(String(row.value ?? 'null')),
  updatedAt: String(row.updatedAt),
  updatedBy: String(row.updatedBy),
});

export const toKey = (row: Row): ApiKeyRecord => {
  const record: ApiKeyRecord = {
    id: String(row.sk),
    hash: String(row.hash),
    scopes: row.scopes as string[],
    description: String(row.description ?? ''),
    createdAt: String(row.createdAt),
    createdBy: String(row.createdBy),
  };
  if (typeof row.revokedAt === 'string') record.revokedAt = row.revokedAt;
  return record;
};

export const toAudit = (row: Row): AuditEntry => ({
  at: String(row.at),
  keyId: String(row.keyId),
  action: row.action as AuditEntry['action'],
  namespace: String(row.namespace),
  key: String(row.key),
  version: Number(row.version),
  secret: row.secret === true,
});

/** An audit item: sorted by time within its namespace's partition. */
export function auditItem(entry: AuditEntry): Row {
  // Lines in the same millisecond sort by this process's monotonic clock; the random tail
  // keeps two processes from ever overwriting each other's line.
  const tick = process.hrtime.bigint().toString().padStart(20, '0');
  const sk = `${entry.at}#${tick}#${randomBytes(4).toString('hex')}`;
  return { pk: `${CONFIG_TABLE.auditPrefix}${entry.namespace}`, sk, ...entry };
}
