import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiLambda } from '../../src/runtime/lambda/api-lambda.ts';
import { createProcessorLambda } from '../../src/runtime/lambda/processor-lambda.ts';
import { createEmulatedStack, type EmulatedStack } from '../support/aws-stack.ts';
import { type Emulators, startEmulators } from '../support/emulators.ts';
import { eventually } from '../support/eventually.ts';
import { httpApiEvent, kinesisEvent, restApiEvent } from '../support/lambda-events.ts';

/**
 * The whole AWS path on the emulators, each Lambda function invoked the way AWS would:
 * API Gateway → API function (redirect) → Kinesis → event source mapping → visit counter
 * → DynamoDB → API function (link details). Only the event source mapping is played by the
 * test: it reads the shard with GetRecords and hands the records over as a Kinesis event.
 */
describe('redirect → visit event → Kinesis → processor → stats (emulators)', () => {
  let aws: Emulators;
  let stack: EmulatedStack;
  beforeAll(async () => {
    aws = await startEmulators();
    stack = await createEmulatedStack(aws);
  });
  afterAll(() => aws.stop());

  it('counts every redirect once', async () => {
    const api = createApiLambda(stack.env, stack.clients);
    const processor = createProcessorLambda(stack.env, stack.clients);
    const url = `https://example.com/e2e/${Math.random()}`;
    const created = await api.handler(
      restApiEvent({
        method: 'POST',
        path: '/',
        body: JSON.stringify({ url }),
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    const { code } = JSON.parse(created.body) as { code: string };
    for (let i = 0; i < 3; i++) {
      const redirect = await api.handler(httpApiEvent({ method: 'GET', path: `/${code}` }));
      expect(redirect.statusCode).toBe(308);
    }

    // The event source mapping: deliver what the shard holds to the processor function.
    for (const shard of await stack.readStream()) {
      if (shard.records.length === 0) continue;
      const result = await processor(kinesisEvent(shard.records, stack.streamArn, shard.shardId));
      expect(result).toEqual({ batchItemFailures: [] });
    }

    await eventually(async () => {
      const details = await api.handler(
        httpApiEvent({ method: 'GET', path: `/api/links/${code}` }),
      );
      expect(details.statusCode).toBe(200);
      expect(JSON.parse(details.body)).toMatchObject({ code, url, visits: 3 });
    });
  });
});
