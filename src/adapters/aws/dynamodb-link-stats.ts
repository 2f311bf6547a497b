import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { LinkStats } from '../../shortener/ports.ts';

/** Visit counters live in the links table under their own key prefix (no `code`, no index). */
const visitsKey = (code: string) => ({ pk: { S: `v#${code}` } });

/**
 * LinkStats on DynamoDB: one counter item per code, incremented with an atomic `ADD`, so
 * concurrent processor invocations never lose a count.
 *
 * @example
 * const stats = new DynamoDbLinkStats({ client, tableName: 'links' });
 * await stats.increment('Xk9aQ2');
 */
export class DynamoDbLinkStats implements LinkStats {
  readonly #client: DynamoDBClient;
  readonly #table: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    this.#client = options.client;
    this.#table = options.tableName;
  }

  async visits(code: string): Promise<number> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: visitsKey(code), ConsistentRead: true }),
    );
    return Number(Item?.visits?.N ?? 0);
  }

  /**
   * The visit counter's ledger on DynamoDB: one atomic `ADD` per visit. At least once: a record
   * Lambda delivers again (a retried or bisected batch) is counted again. Exactly once needs
   * a position marker written in the same TransactWriteItems, which dynalite cannot run, so
   * it is not offered untested.
   */
  async countVisit(code: string): Promise<void> {
    await this.increment(code);
  }

  /** Add `by` visits to a code's counter. */
  async increment(code: string, by = 1): Promise<void> {
    await this.#client.send(
      new UpdateItemCommand({
        TableName: this.#table,
        Key: visitsKey(code),
        UpdateExpression: 'ADD visits :by',
        ExpressionAttributeValues: { ':by': { N: String(by) } },
      }),
    );
  }
}
