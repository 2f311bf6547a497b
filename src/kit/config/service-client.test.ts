import { describe, expect, it } from 'vitest';
import { SqliteConfigStore } from '../../adapters/sqlite/config-store.ts';
import { openDatabase } from '../../adapters/sqlite/database.ts';
import { createApiKey, createConfigApp } from '../../config-service/index.ts';
import { ConfigClientError } from './errors.ts';
import { ConfigServiceClient } from './service-client.ts';

/** A fetch into the app in process that fails the first `failures` calls like a dead socket. */
async function setup(failures: number) {
  const store = new SqliteConfigStore(openDatabase(':memory:'));
  const app = createConfigApp({ store });
  const { key } = await createApiKey(store, { scopes: ['admin'], createdBy: 'local' });
  let left = failures;
  let calls = 0;
  const flaky: typeof fetch = async (input, init) => {
    calls++;
    if (left-- > 0) {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      });
    }
    return app.request(String(input), init);
  };
  const client = new ConfigServiceClient({ url: 'http://config.test', apiKey: key, fetch: flaky });
  return { client, calls: () => calls };
}

describe('ConfigServiceClient on a connection the server already closed', () => {
  it('resends a GET once', async () => {
    const { client, calls } = await setup(1);
    expect(await client.get('ns', 'missing')).toBeUndefined();
    expect(calls()).toBe(2);
  });

  it('gives up after the second failure, as unavailable', async () => {
    const { client, calls } = await setup(2);
    await expect(client.list('ns')).rejects.toMatchObject({ code: 'unavailable' });
    expect(calls()).toBe(2);
  });

  it('never resends a write', async () => {
    const { client, calls } = await setup(1);
    await expect(client.put('ns', 'k', { value: 1 })).rejects.toBeInstanceOf(ConfigClientError);
    expect(calls()).toBe(1);
  });
});
