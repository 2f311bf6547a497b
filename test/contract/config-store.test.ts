import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { DynamoDbConfigStore } from '../../src/adapters/aws/config-store-dynamodb.ts';
import { createConfigTable } from '../../src/adapters/aws/config-table.ts';
import { SqliteConfigStore } from '../../src/adapters/sqlite/config-store.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import { type Emulators, startEmulators } from '../support/emulators.ts';
import { configStoreContract } from './config-store.contract.ts';

configStoreContract('SQLite', async () => new SqliteConfigStore(openDatabase(':memory:')));

let aws: Emulators | undefined;
beforeAll(async () => {
  aws = await startEmulators({ kinesis: false, sqs: false });
});
afterAll(() => aws?.stop());

configStoreContract('DynamoDB (dynalite)', async () => {
  if (!aws?.endpoints.dynamodb?.startsWith('http://127.0.0.1:')) {
    throw new Error('refusing to run the contract on anything but the local emulator');
  }
  // A new table per test: state never leaks from one test to the next.
  const tableName = `shortline-test-config-${randomUUID()}`;
  await createConfigTable(aws.dynamodb, tableName);
  return new DynamoDbConfigStore({ client: aws.dynamodb, tableName });
});
