import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigClientError, ConfigServiceClient } from '../../../src/kit/config/index.ts';
import { type ConfigHarness, startConfigHarness } from './harness.ts';

let h: ConfigHarness;
let service: ConfigServiceClient;
beforeAll(async () => {
  h = await startConfigHarness();
  service = new ConfigServiceClient({ url: h.url, apiKey: h.adminKey });
});
afterAll(() => h.dispose());

const put = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.url}${path}`, {
    method: 'PUT',
    headers: { 'x-api-key': h.adminKey, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('concurrent writes with versions (over HTTP)', () => {
  it('lets one of many writers with the same If-Match win; the others get 409 and the current version', async () => {
    expect((await put('/config/race/limit', { value: 0 })).status).toBe(201);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        put('/config/race/limit', { value: i + 1 }, { 'if-match': '"1"' }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(409)]);
    const conflict = responses.find((r) => r.status === 409);
    expect(await conflict?.json()).toEqual({
      error: { code: 'version_conflict', message: expect.any(String), currentVersion: 2 },
    });
    const winner = responses.find((r) => r.status === 200);
    expect(winner?.headers.get('etag')).toBe('"2"');
  });

  it('lets exactly one creator win with If-None-Match: *', async () => {
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        put('/config/race/created-once', { value: i }, { 'if-none-match': '*' }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it('loses no increment when writers read-modify-write and retry on 409', async () => {
    await service.put('race', 'counter', { value: 0 });
    const increment = async () => {
      for (;;) {
        const item = await service.get('race', 'counter');
        try {
          await service.put('race', 'counter', {
            value: (item?.value as number) + 1,
            version: item?.version ?? 0,
          });
          return;
        } catch (error) {
          if (!(error instanceof ConfigClientError && error.code === 'version_conflict'))
            throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, () => Promise.all([increment(), increment()])));
    const final = await service.get('race', 'counter');
    expect(final?.value).toBe(16);
    expect(final?.version).toBe(17);
  });

  it('rejects malformed preconditions with 400, not 500', async () => {
    expect((await put('/config/race/x', { value: 1 }, { 'if-match': 'abc' })).status).toBe(400);
    expect((await put('/config/race/x', { value: 1 }, { 'if-none-match': '"3"' })).status).toBe(
      400,
    );
    expect(
      (await put('/config/race/x', { value: 1, version: 2 }, { 'if-match': '"3"' })).status,
    ).toBe(400);
    expect((await put('/config/race/x', { value: 1, version: -1 })).status).toBe(400);
  });
});
