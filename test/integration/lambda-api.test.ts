import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/adapters/aws/kinesis-envelope.ts';
import { CONTEXT_ATTRIBUTE } from '../../src/kit/context/index.ts';
import { createApiLambda } from '../../src/runtime/lambda/api-lambda.ts';
import { createEmulatedStack, type EmulatedStack } from '../support/aws-stack.ts';
import { type Emulators, startEmulators } from '../support/emulators.ts';
import { httpApiEvent, restApiEvent } from '../support/lambda-events.ts';

let aws: Emulators;
let stack: EmulatedStack;
let api: ReturnType<typeof createApiLambda>;
beforeAll(async () => {
  aws = await startEmulators();
  stack = await createEmulatedStack(aws);
  api = createApiLambda(stack.env, stack.clients);
});
afterAll(() => aws.stop());

const json = { 'Content-Type': 'application/json' };

describe.each([
  ['API Gateway REST (v1)', restApiEvent],
  ['HTTP API (v2)', httpApiEvent],
])('API handler, %s events', (_, makeEvent) => {
  it('creates a link, returns it again for the same URL, and redirects with 308', async () => {
    const url = `https://example.com/${Math.random()}`;
    const created = await api.handler(
      makeEvent({ method: 'POST', path: '/', body: JSON.stringify({ url }), headers: json }),
    );
    expect(created.statusCode).toBe(201);
    const link = JSON.parse(created.body) as { code: string; shortUrl: string; url: string };
    expect(link).toMatchObject({ url, shortUrl: `https://sho.rt/${link.code}` });

    const again = await api.handler(
      makeEvent({ method: 'POST', path: '/', body: JSON.stringify({ url }), headers: json }),
    );
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body).code).toBe(link.code);

    const redirect = await api.handler(makeEvent({ method: 'GET', path: `/${link.code}` }));
    expect(redirect.statusCode).toBe(308);
    const headers: Record<string, unknown> = {
      ...(redirect.headers as object | undefined),
      ...(redirect.multiValueHeaders as object | undefined),
    };
    expect([headers.location].flat()).toEqual([url]);
    expect(String([headers['cache-control']].flat()[0])).toMatch(/max-age=\d+/);
  });

  it('answers bad input with a JSON 4xx and unknown codes with 404', async () => {
    const bad = await api.handler(
      makeEvent({
        method: 'POST',
        path: '/',
        body: JSON.stringify({ url: 'ftp://x' }),
        headers: json,
      }),
    );
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    expect(JSON.parse(bad.body)).toMatchObject({ error: { code: expect.any(String) } });
    const missing = await api.handler(makeEvent({ method: 'GET', path: '/zzzzzzzz' }));
    expect(missing.statusCode).toBe(404);
  });
});

describe('API handler events', () => {
  it('has put the visit event on Kinesis by the time the redirect returns', async () => {
    const url = `https://example.com/${Math.random()}`;
    const created = await api.handler(
      restApiEvent({ method: 'POST', path: '/', body: JSON.stringify({ url }), headers: json }),
    );
    const { code } = JSON.parse(created.body) as { code: string };
    await api.handler(
      httpApiEvent({
        method: 'GET',
        path: `/${code}`,
        headers: { 'user-agent': 'e2e-agent', 'x-correlation-id': 'corr-visit-1' },
      }),
    );
    // No waiting: the handler flushed before returning.
    const shards = await stack.readStream();
    const events = shards
      .flatMap((s) => s.records)
      .map((r) => decodeRecord(r.Data ?? new Uint8Array()))
      .filter((e) => (e.data as { code?: string }).code === code);
    expect(events.map((e) => (e.data as { type: string }).type)).toEqual([
      'link.created',
      'link.visited',
    ]);
    const visit = events[1];
    expect(visit?.data).toMatchObject({ type: 'link.visited', code, userAgent: 'e2e-agent' });
    expect(JSON.parse(visit?.attributes[CONTEXT_ATTRIBUTE] ?? '{}')).toMatchObject({
      'x-correlation-id': 'corr-visit-1',
    });
  });
});
