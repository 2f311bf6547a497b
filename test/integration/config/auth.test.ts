import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigHarness, startConfigHarness } from './harness.ts';

let h: ConfigHarness;
beforeAll(async () => {
  h = await startConfigHarness();
  const seed = await fetch(`${h.url}/config/shortener/greeting`, {
    method: 'PUT',
    headers: { 'x-api-key': h.adminKey, 'content-type': 'application/json' },
    body: JSON.stringify({ value: 'hello' }),
  });
  expect(seed.status).toBe(201);
});
afterAll(() => h.dispose());

async function call(method: string, path: string, apiKey?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    json: text ? JSON.parse(text) : undefined,
  };
}

const write = { value: 'changed' };

describe('config service auth matrix (over HTTP)', () => {
  it('answers 401 with a JSON error when no key is sent, for reads and writes', async () => {
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', write],
      ['DELETE', undefined],
    ] as const) {
      const res = await call(method, '/config/shortener/greeting', undefined, body);
      expect(res.status).toBe(401);
      expect(res.type).toMatch(/application\/json/);
      expect(res.json).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
    expect((await call('GET', '/config/shortener')).status).toBe(401);
  });

  it('answers 401 to a malformed key and to a real id with the wrong secret', async () => {
    expect((await call('GET', '/config/shortener/greeting', 'not-a-key')).status).toBe(401);
    const { key } = await h.key('read:shortener');
    const forged = `${key.slice(0, -4)}AAAA`;
    expect((await call('GET', '/config/shortener/greeting', forged)).status).toBe(401);
    expect((await call('GET', '/config/shortener/greeting', key)).status).toBe(200);
  });

  it('lets a read key read but never write or delete (403)', async () => {
    const { key } = await h.key('read:shortener');
    expect((await call('GET', '/config/shortener/greeting', key)).json.value).toBe('hello');
    expect((await call('GET', '/config/shortener', key)).status).toBe(200);
    const put = await call('PUT', '/config/shortener/greeting', key, write);
    expect(put.status).toBe(403);
    expect(put.json.error.code).toBe('forbidden');
    expect((await call('DELETE', '/config/shortener/greeting', key)).status).toBe(403);
    expect((await call('GET', '/config/shortener/greeting', h.adminKey)).json.value).toBe('hello');
  });

  it('refuses a key on a namespace outside its scopes (403), for read and write', async () => {
    const { key } = await h.key('read:billing', 'write:billing');
    expect((await call('GET', '/config/shortener/greeting', key)).status).toBe(403);
    expect((await call('GET', '/config/shortener', key)).status).toBe(403);
    expect((await call('PUT', '/config/shortener/greeting', key, write)).status).toBe(403);
    expect((await call('PUT', '/config/billing/plan', key, { value: 'pro' })).status).toBe(201);
    expect((await call('GET', '/config/billing/plan', key)).status).toBe(200);
  });

  it('lets write imply read, and * cover every namespace', async () => {
    const { key: writer } = await h.key('write:shortener');
    expect((await call('GET', '/config/shortener/greeting', writer)).status).toBe(200);
    const { key: readAll } = await h.key('read:*');
    expect((await call('GET', '/config/shortener/greeting', readAll)).status).toBe(200);
    expect((await call('PUT', '/config/shortener/greeting', readAll, write)).status).toBe(403);
  });

  it('rejects a revoked key with 401 from the moment it is revoked', async () => {
    const { key, id } = await h.key('read:shortener');
    expect((await call('GET', '/config/shortener/greeting', key)).status).toBe(200);
    const revoked = await call('DELETE', `/config/_keys/${id}`, h.adminKey);
    expect(revoked).toMatchObject({ status: 200, json: { id, revoked: true } });
    const after = await call('GET', '/config/shortener/greeting', key);
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('unauthorized');
  });

  it('keeps key administration to admin keys', async () => {
    const { key } = await h.key('write:*');
    expect((await call('POST', '/config/_keys', key, { scopes: ['admin'] })).status).toBe(403);
    expect((await call('GET', '/config/_keys', key)).status).toBe(403);
    const created = await call('POST', '/config/_keys', h.adminKey, { scopes: ['read:shortener'] });
    expect(created.status).toBe(201);
    expect(created.json.key).toMatch(/^slk_[0-9a-f]{16}_/);
    expect(created.json.hash).toBeUndefined();
    expect((await call('GET', '/config/shortener/greeting', created.json.key)).status).toBe(200);
    const listed = await call('GET', '/config/_keys', h.adminKey);
    expect(JSON.stringify(listed.json)).not.toContain(created.json.key);
    const keyAudit = await call('GET', '/config/_keys/_audit', h.adminKey);
    expect(keyAudit.json.entries[0]).toMatchObject({ action: 'key.create', key: created.json.id });
    expect((await call('GET', '/config/_keys/_audit', key)).status).toBe(403);
    const bad = await call('POST', '/config/_keys', h.adminKey, { scopes: ['root'] });
    expect(bad).toMatchObject({ status: 400, json: { error: { code: 'invalid_scope' } } });
  });

  it('records who changed what in the audit trail', async () => {
    const { key, id } = await h.key('write:audited');
    expect((await call('PUT', '/config/audited/flag', key, { value: true })).status).toBe(201);
    expect((await call('DELETE', '/config/audited/flag', key)).status).toBe(200);
    const audit = await call('GET', '/config/audited/_audit', key);
    expect(
      audit.json.entries.map((e: { action: string; keyId: string; key: string }) => [
        e.action,
        e.keyId,
        e.key,
      ]),
    ).toEqual([
      ['delete', id, 'flag'],
      ['put', id, 'flag'],
    ]);
    expect(audit.json.entries[0].at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
