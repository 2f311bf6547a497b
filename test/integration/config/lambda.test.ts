import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfigTable } from '../../../src/adapters/aws/config-table.ts';
import { createApiKey } from '../../../src/config-service/index.ts';
import { createConfigLambda } from '../../../src/runtime/lambda/config-lambda.ts';
import { type Emulators, startEmulators } from '../../support/emulators.ts';
import { httpApiEvent, restApiEvent } from '../../support/lambda-events.ts';

// The config service as its own Lambda, on DynamoDB (dynalite, real SDK), invoked with
// real-shaped API Gateway events. No KMS emulator exists, so this function has no cipher:
// plaintext secrets get 503 and writer-sealed envelopes are stored.
let aws: Emulators;
let lambda: ReturnType<typeof createConfigLambda>;
let adminKey: string;
let readKey: string;
beforeAll(async () => {
  aws = await startEmulators({ kinesis: false, sqs: false });
  const table = `shortline-test-config-${randomUUID()}`;
  await createConfigTable(aws.dynamodb, table);
  lambda = createConfigLambda({ SHORTLINE_CONFIG_TABLE: table }, { dynamodb: aws.dynamodb });
  adminKey = (await createApiKey(lambda.store, { scopes: ['admin'], createdBy: 'local' })).key;
  readKey = (await createApiKey(lambda.store, { scopes: ['read:app'], createdBy: 'local' })).key;
});
afterAll(() => aws.stop());

const json = (key: string) => ({ 'Content-Type': 'application/json', 'x-api-key': key });

describe.each([
  ['API Gateway REST (v1)', restApiEvent],
  ['HTTP API (v2)', httpApiEvent],
])('config Lambda, %s events', (_, makeEvent) => {
  it('writes, reads and versions values, and enforces scopes', async () => {
    const key = `k-${randomUUID().slice(0, 8)}`;
    const put = await lambda.handler(
      makeEvent({
        method: 'PUT',
        path: `/config/app/${key}`,
        headers: json(adminKey),
        body: '{"value":{"a":1}}',
      }),
    );
    expect(put.statusCode).toBe(201);
    const got = await lambda.handler(
      makeEvent({ method: 'GET', path: `/config/app/${key}`, headers: json(readKey) }),
    );
    expect(got.statusCode).toBe(200);
    expect(JSON.parse(got.body)).toMatchObject({ key, version: 1, value: { a: 1 } });
    const stale = await lambda.handler(
      makeEvent({
        method: 'PUT',
        path: `/config/app/${key}`,
        headers: { ...json(adminKey), 'If-Match': '"7"' },
        body: '{"value":2}',
      }),
    );
    expect(stale.statusCode).toBe(409);
    const denied = await lambda.handler(
      makeEvent({
        method: 'PUT',
        path: `/config/app/${key}`,
        headers: json(readKey),
        body: '{"value":2}',
      }),
    );
    expect(denied.statusCode).toBe(403);
    const anonymous = await lambda.handler(
      makeEvent({ method: 'GET', path: `/config/app/${key}` }),
    );
    expect(anonymous.statusCode).toBe(401);
    expect(JSON.parse(anonymous.body).error.code).toBe('unauthorized');
  });

  it('without KMS refuses plaintext secrets (503) and stores sealed envelopes', async () => {
    const plain = await lambda.handler(
      makeEvent({
        method: 'PUT',
        path: '/config/app/secret',
        headers: json(adminKey),
        body: '{"value":"x","secret":true}',
      }),
    );
    expect(plain.statusCode).toBe(503);
    const envelope = {
      v: 1,
      kid: 'arn:aws:kms:us-east-1:000000000000:key/test',
      edk: 'AAAA',
      iv: 'AAAA',
      tag: 'AAAA',
      ct: 'AAAA',
    };
    const sealed = await lambda.handler(
      makeEvent({
        method: 'PUT',
        path: '/config/app/sealed',
        headers: json(adminKey),
        body: JSON.stringify({ envelope }),
      }),
    );
    expect(sealed.statusCode).toBeLessThan(300);
    expect(JSON.parse(sealed.body)).toMatchObject({ secret: true, envelope });
  });
});
