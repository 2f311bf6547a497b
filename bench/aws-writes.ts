// DynamoDB writes per created link, counted on the client's middleware stack against dynalite.
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLinkStore } from '../src/adapters/aws/dynamodb-link-store.ts';
import { createLinkTable } from '../src/adapters/aws/link-table.ts';
import { CodeCodec, randomAlphabet } from '../src/shortener/codes.ts';
import { LinkService } from '../src/shortener/links.ts';

const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
]);

/** Count the write calls `client` sends while `work` runs. */
export async function countWrites(
  client: DynamoDBClient,
  work: () => Promise<void>,
): Promise<number> {
  let writes = 0;
  const name = `count-writes-${randomUUID()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITES.has(context.commandName ?? '')) writes++;
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await work();
  } finally {
    client.middlewareStack.remove(name);
  }
  return writes;
}

/**
 * Create `links` distinct links through the LinkService on a fresh table, with counter blocks
 * of `blockSize` (1 is the naive design: one counter write per link), until `deadline`.
 */
export async function writesPerLink(
  client: DynamoDBClient,
  { links, blockSize, deadline }: { links: number; blockSize: number; deadline: number },
): Promise<{ created: number; writes: number }> {
  const tableName = `bench-links-${randomUUID()}`;
  await createLinkTable(client, tableName);
  const store = new DynamoDbLinkStore({ client, tableName });
  const service = new LinkService({
    store,
    codec: new CodeCodec({ alphabet: randomAlphabet(), minLength: 5 }),
    blockSize,
    cacheSize: 0,
  });
  let created = 0;
  const writes = await countWrites(client, async () => {
    for (let i = 0; i < links && Date.now() < deadline; i++) {
      const { created: isNew } = await service.shorten(`https://example.com/bench/${randomUUID()}`);
      if (isNew) created++;
    }
  });
  return { created, writes };
}
