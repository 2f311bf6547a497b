import { describe, expect, it } from 'vitest';
import { SqliteConfigStore } from '../adapters/sqlite/config-store.ts';
import { openDatabase } from '../adapters/sqlite/database.ts';
import { createApiKey } from './api-keys.ts';
import { createConfigApp } from './app.ts';

async function setup() {
  const store = new SqliteConfigStore(openDatabase(':memory:'));
  const app = createConfigApp({ store, maxBodyBytes: 1024 });
  const { key } = await createApiKey(store, { scopes: ['admin'], createdBy: 'local' });
  const send = (
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ) =>
    app.request(path, {
      method,
      headers: { 'x-api-key': key, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body }),
    });
  return { app, send };
}

describe('config app input handling', () => {
  it('answers bad input with a 4xx JSON error, never a 500', async () => {
    const { send } = await setup();
    const cases: Array<
      [string, string, string | undefined, Record<string, string>, number, string]
    > = [
      ['PUT', '/config/ns/k', '{not json', {}, 400, 'invalid_request'],
      ['PUT', '/config/ns/k', '{}', {}, 400, 'invalid_request'],
      ['PUT', '/config/ns/k', '{"value":1,"extra":2}', {}, 400, 'invalid_request'],
      ['PUT', '/config/ns/k', '{"value":1,"envelope":{}}', {}, 400, 'invalid_request'],
      ['PUT', '/config/ns/k', '{"envelope":{"v":2}}', {}, 400, 'invalid_request'],
      [
        'PUT',
        '/config/ns/k',
        '{"value":1}',
        { 'content-type': 'text/plain' },
        415,
        'unsupported_media_type',
      ],
      [
        'PUT',
        '/config/ns/k',
        JSON.stringify({ value: 'x'.repeat(2000) }),
        {},
        413,
        'payload_too_large',
      ],
      ['PUT', '/config/NS/k', '{"value":1}', {}, 400, 'invalid_name'],
      ['PUT', '/config/ns/_k', '{"value":1}', {}, 400, 'invalid_name'],
      ['GET', '/config/ns/missing', undefined, {}, 404, 'not_found'],
      ['DELETE', '/config/ns/missing', undefined, {}, 404, 'not_found'],
      ['DELETE', '/config/ns/k?version=abc', undefined, {}, 400, 'invalid_request'],
      ['GET', '/nowhere', undefined, {}, 404, 'not_found'],
    ];
    for (const [method, path, body, headers, status, code] of cases) {
      const res = await send(method, path, body, headers);
      expect({ path, body, status: res.status, code: (await res.json()).error?.code }).toEqual({
        path,
        body,
        status,
        code,
      });
    }
  });

  it('answers 503 to a plaintext secret when it has no cipher', async () => {
    const { send } = await setup();
    const res = await send('PUT', '/config/ns/k', '{"value":"s","secret":true}');
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('encryption_unavailable');
  });

  it('serves ETags and answers 304 to an unchanged listing', async () => {
    const { send } = await setup();
    const created = await send('PUT', '/config/ns/k', '{"value":1}');
    expect(created.headers.get('etag')).toBe('"1"');
    const list = await send('GET', '/config/ns');
    const tag = list.headers.get('etag') ?? '';
    expect((await send('GET', '/config/ns', undefined, { 'if-none-match': tag })).status).toBe(304);
    await send('PUT', '/config/ns/k', '{"value":2}');
    expect((await send('GET', '/config/ns', undefined, { 'if-none-match': tag })).status).toBe(200);
  });
});
