import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  Actor,
  ApiKeyRecord,
  AuditEntry,
  ConfigStore,
  DeleteResult,
  ExpectedVersion,
  PutResult,
  StoredEntry,
} from '../../config-service/ports.ts';
import { KEYS_NAMESPACE } from '../../config-service/ports.ts';
import {
  auditItem,
  CONFIG_TABLE,
  type Row,
  toAudit,
  toEntry,
  toKey,
  valueKey,
} from './config-table.ts';
import { AwsAdapterError, isAwsError } from './errors.ts';

export interface DynamoDbConfigStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Destroy the client on close(); false when the client is shared. Default false. */
  ownsClient?: boolean;
}

// A write whose condition fails because another writer got in first is retried this often
// before giving up (unconditional writes only; conditional ones report the conflict).
const MAX_ATTEMPTS = 25;

/**
 * ConfigStore on DynamoDB. Every write is a conditional put on the version read just before
 * (compare-and-set), so concurrent writers never lose an update silently. The audit line is
 * a second put after the value's: DynamoDB transactions would make the pair atomic, but the
 * emulator the tests run on (dynalite) lacks them, and we ship only what we test. A crash
 * between the two puts loses one audit line, never a value.
 *
 * @example
 * const store = new DynamoDbConfigStore({ client: new DynamoDBClient({}), tableName: 'config' });
 */
export class DynamoDbConfigStore implements ConfigStore {
  readonly #client: DynamoDBClient;
  readonly #doc: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #ownsClient: boolean;

  constructor(options: DynamoDbConfigStoreOptions) {
    this.#client = options.client;
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.#table = options.tableName;
    this.#ownsClient = options.ownsClient ?? false;
  }

  async get(namespace: string, key: string): Promise<StoredEntry | undefined> {
    const row = await this.#row(namespace, key);
    return row && row.deleted !== true ? toEntry(row) : undefined;
  }

  async list(namespace: string): Promise<StoredEntry[]> {
    const rows = await this.#query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :k)',
      ExpressionAttributeValues: {
        ':pk': `${CONFIG_TABLE.namespacePrefix}${namespace}`,
        ':k': CONFIG_TABLE.keyPrefix,
      },
    });
    return rows.filter((row) => row.deleted !== true).map(toEntry);
  }

  async put(
    entry: Pick<StoredEntry, 'namespace' | 'key' | 'value' | 'secret'>,
    expected: ExpectedVersion,
    actor: Actor,
  ): Promise<PutResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const row = await this.#row(entry.namespace, entry.key);
      const previous = row === undefined ? 0 : Number(row.version);
      const current = row === undefined || row.deleted === true ? 0 : previous;
      if (expected !== undefined && expected !== current) return { status: 'conflict', current };
      const version = previous + 1;
      const written = await this.#conditionalPut(row === undefined ? undefined : previous, {
        ...valueKey(entry.namespace, entry.key),
        namespace: entry.namespace,
        key: entry.key,
        version,
        secret: entry.secret,
        value: JSON.stringify(entry.value),
        deleted: false,
        updatedAt: actor.at,
        updatedBy: actor.keyId,
      });
      if (!written) continue; // someone wrote in between: read again and re-decide
      await this.#audit(actor, 'put', entry.namespace, entry.key, version, entry.secret);
      return {
        status: 'ok',
        entry: { ...entry, version, updatedAt: actor.at, updatedBy: actor.keyId },
      };
    }
    throw new AwsAdapterError('write_contended', `gave up writing ${entry.namespace}/${entry.key}`);
  }

  async delete(
    namespace: string,
    key: string,
    expected: ExpectedVersion,
    actor: Actor,
  ): Promise<DeleteResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const row = await this.#row(namespace, key);
      if (row === undefined || row.deleted === true) {
        return expected === undefined || expected === 0
          ? { status: 'not-found' }
          : { status: 'conflict', current: 0 };
      }
      const version = Number(row.version);
      if (expected !== undefined && expected !== version) {
        return { status: 'conflict', current: version };
      }
      // The tombstone keeps the version, so a re-created value continues from it.
      const written = await this.#conditionalPut(version, {
        ...valueKey(namespace, key),
        namespace,
        key,
        version,
        secret: row.secret === true,
        deleted: true,
        updatedAt: actor.at,
        updatedBy: actor.keyId,
      });
      if (!written) continue;
      await this.#audit(actor, 'delete', namespace, key, version, row.secret === true);
      return { status: 'ok', version };
    }
    throw new AwsAdapterError('write_contended', `gave up deleting ${namespace}/${key}`);
  }

  async listAudit(namespace: string, limit: number): Promise<AuditEntry[]> {
    const result = await this.#doc.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `${CONFIG_TABLE.auditPrefix}${namespace}` },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map(toAudit);
  }

  async createApiKey(record: ApiKeyRecord): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: { pk: CONFIG_TABLE.apiKeyPartition, sk: record.id, ...record, id: undefined },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    const actor = { keyId: record.createdBy, at: record.createdAt };
    await this.#audit(actor, 'key.create', KEYS_NAMESPACE, record.id, 0, false);
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const result = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: CONFIG_TABLE.apiKeyPartition, sk: id },
        ConsistentRead: true,
      }),
    );
    return result.Item ? toKey(result.Item) : undefined;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const rows = await this.#query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': CONFIG_TABLE.apiKeyPartition },
    });
    return rows
      .map(toKey)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async revokeApiKey(id: string, actor: Actor): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: CONFIG_TABLE.apiKeyPartition, sk: id },
          UpdateExpression: 'SET revokedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':at': actor.at },
        }),
      );
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
      return (await this.getApiKey(id)) !== undefined; // already revoked, or no such key
    }
    await this.#audit(actor, 'key.revoke', KEYS_NAMESPACE, id, 0, false);
    return true;
  }

  async close(): Promise<void> {
    if (this.#ownsClient) this.#client.destroy();
  }

  async #row(namespace: string, key: string): Promise<Row | undefined> {
    const result = await this.#doc.send(
      new GetCommand({
        TableName: this.#table,
        Key: valueKey(namespace, key),
        ConsistentRead: true,
      }),
    );
    return result.Item;
  }

  /** Put `item` if the stored version is still `previous` (undefined: no item). */
  async #conditionalPut(previous: number | undefined, item: Row): Promise<boolean> {
    try {
      await this.#doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ...(previous === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :previous',
                ExpressionAttributeValues: { ':previous': previous },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return false;
      throw error;
    }
  }

  async #audit(
    actor: Actor,
    action: AuditEntry['action'],
    namespace: string,
    key: string,
    version: number,
    secret: boolean,
  ): Promise<void> {
    await this.#doc.send(
      new PutCommand({
        TableName: this.#table,
        Item: auditItem({ ...actor, action, namespace, key, version, secret }),
      }),
    );
  }

  async #query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Row[]> {
    const rows: Row[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#doc.send(
        new QueryCommand({
          ...input,
          TableName: this.#table,
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      rows.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return rows;
  }
}
