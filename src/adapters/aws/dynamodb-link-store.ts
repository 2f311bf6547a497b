import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { InsertResult, Link, LinkStore, NewLink } from '../../shortener/ports.ts';
import { AwsAdapterError, isAwsError } from './errors.ts';
import { LINK_TABLE } from './link-table.ts';

type Item = Record<string, AttributeValue>;

export interface DynamoDbLinkStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Destroy the client on close(); false when the client is shared. Default false. */
  ownsClient?: boolean;
}

const urlKey = (urlHash: string): Item => ({ pk: { S: `${LINK_TABLE.urlPrefix}${urlHash}` } });

function toLink(item: Item): Link {
  const code = item.code?.S;
  const url = item.url?.S;
  const createdAt = item.createdAt?.S;
  if (code === undefined || url === undefined || createdAt === undefined) {
    throw new AwsAdapterError(
      'bad_item',
      `links item ${item.pk?.S ?? '?'} lacks code/url/createdAt`,
    );
  }
  return { code, url, createdAt };
}

/** Which of two items claiming one code keeps it: the older, then the smaller key. */
const claimOrder = (a: Item, b: Item): number =>
  (a.createdAt?.S ?? '').localeCompare(b.createdAt?.S ?? '') ||
  (a.pk?.S ?? '').localeCompare(b.pk?.S ?? '');

/**
 * LinkStore on DynamoDB: one conditional `PutItem` per created link, plus one atomic `ADD`
 * per counter block.
 *
 * The item is keyed by the URL hash, so `attribute_not_exists(pk)` makes the reverse lookup
 * race-free: of two concurrent inserts of one URL exactly one writes, and the other reads the
 * winner back. Redirects find the code through the `byCode` index (eventually consistent);
 * code uniqueness is checked on that index before and after the write. See docs/aws.md.
 *
 * @example
 * const store = new DynamoDbLinkStore({ client: new DynamoDBClient({}), tableName: 'links' });
 */
export class DynamoDbLinkStore implements LinkStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #ownsClient: boolean;

  constructor(options: DynamoDbLinkStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#ownsClient = options.ownsClient ?? false;
  }

  async insert(link: NewLink): Promise<InsertResult> {
    // Reads first (they are cheap and don't count as writes): a code already held settles it.
    const holders = await this.#itemsByCode(link.code);
    const holder = holders[0];
    if (holder) {
      const mine = await this.getByUrlHash(link.urlHash);
      return mine ? { status: 'exists', link: mine } : { status: 'code-taken' };
    }
    const item: Item = {
      ...urlKey(link.urlHash),
      code: { S: link.code },
      url: { S: link.url },
      createdAt: { S: link.createdAt },
    };
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw error;
      // Another insert of this URL won. The key is the table's, so a consistent read sees it.
      const winner = await this.getByUrlHash(link.urlHash);
      if (!winner)
        throw new AwsAdapterError('lost_item', 'conditional put failed but no item', {
          cause: error,
        });
      return { status: 'exists', link: winner };
    }
    return this.#settleCodeRace(item);
  }

  async getByCode(code: string): Promise<Link | undefined> {
    const [first] = await this.#itemsByCode(code);
    return first ? toLink(first) : undefined;
  }

  async getByUrlHash(urlHash: string): Promise<Link | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: urlKey(urlHash), ConsistentRead: true }),
    );
    return Item ? toLink(Item) : undefined;
  }

  async reserveBlock(size: number): Promise<number> {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`block size ${size}`);
    // One atomic ADD: DynamoDB serialises updates to an item, so blocks never overlap.
    const { Attributes } = await this.#client.send(
      new UpdateItemCommand({
        TableName: this.#table,
        Key: { pk: { S: LINK_TABLE.counterKey } },
        UpdateExpression: 'ADD #next :size',
        ExpressionAttributeNames: { '#next': 'next' },
        ExpressionAttributeValues: { ':size': { N: String(size) } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const last = Number(Attributes?.next?.N);
    if (!Number.isSafeInteger(last))
      throw new AwsAdapterError('bad_counter', 'counter ADD returned no number');
    return last - size + 1;
  }

  async close(): Promise<void> {
    if (this.#ownsClient) this.#client.destroy();
  }

  /** Items holding `code`, the keeper first. Normally zero or one. */
  async #itemsByCode(code: string): Promise<Item[]> {
    const { Items = [] } = await this.#client.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: LINK_TABLE.codeIndex,
        KeyConditionExpression: '#code = :code',
        ExpressionAttributeNames: { '#code': LINK_TABLE.codeAttribute },
        ExpressionAttributeValues: { ':code': { S: code } },
      }),
    );
    return Items.sort(claimOrder);
  }

  /**
   * An index cannot enforce uniqueness, so two different URLs inserted with the same custom
   * slug at the same instant can both pass the first check. Look again after the write: the
   * later claimant removes its own item and reports the code taken. The index is eventually
   * consistent, so this narrows the window to the index's lag rather than closing it.
   */
  async #settleCodeRace(item: Item): Promise<InsertResult> {
    const holders = await this.#itemsByCode(item.code?.S ?? '');
    const keeper = holders[0];
    if (keeper && keeper.pk?.S !== item.pk?.S && claimOrder(keeper, item) < 0) {
      await this.#client.send(
        new DeleteItemCommand({
          TableName: this.#table,
          Key: { pk: item.pk as AttributeValue },
          ConditionExpression: '#code = :code',
          ExpressionAttributeNames: { '#code': LINK_TABLE.codeAttribute },
          ExpressionAttributeValues: { ':code': item.code as AttributeValue },
        }),
      );
      return { status: 'code-taken' };
    }
    return { status: 'created', link: toLink(item) };
  }
}
