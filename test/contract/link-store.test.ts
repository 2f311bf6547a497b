import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { DynamoDbLinkStore } from '../../src/adapters/aws/dynamodb-link-store.ts';
import { createLinkTable } from '../../src/adapters/aws/link-table.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import { SqliteLinkStore } from '../../src/adapters/sqlite/link-store.ts';
import { type Emulators, startEmulators } from '../support/emulators.ts';
import { linkStoreContract } from './link-store.contract.ts';

linkStoreContract('SQLite', async () => new SqliteLinkStore(openDatabase(':memory:')));

let aws: Emulators | undefined;
beforeAll(async () => {
  aws = await startEmulators({ kinesis: false, sqs: false });
});
afterAll(() => aws?.stop());

linkStoreContract('DynamoDB (dynalite)', async () => {
  if (!aws?.endpoints.dynamodb?.startsWith('http://127.0.0.1:')) {
    throw new Error('refusing to run the contract on anything but the local emulator');
  }
  // A new table per test: state never leaks from one test to the next.
  const tableName = `shortline-test-links-${randomUUID()}`;
  await createLinkTable(aws.dynamodb, tableName);
  return new DynamoDbLinkStore({ client: aws.dynamodb, tableName });
});
