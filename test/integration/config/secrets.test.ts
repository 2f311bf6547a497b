import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigClient } from '../../../src/kit/config/index.ts';
import { createLogger, memoryDestination } from '../../../src/kit/log/index.ts';
import { type ConfigHarness, startConfigHarness } from './harness.ts';

let h: ConfigHarness;
beforeAll(async () => {
  h = await startConfigHarness();
});
afterAll(() => h.dispose());

describe('secrets', () => {
  it('never appear in plaintext in the database, any HTTP response, or the logs', async () => {
    const plaintext = `s3cret-${randomUUID()}`;
    const responses: string[] = [];
    const send = async (method: string, path: string, body?: unknown, headers = {}) => {
      const res = await fetch(`${h.url}${path}`, {
        method,
        headers: { 'x-api-key': h.adminKey, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      responses.push(`${res.status} ${JSON.stringify([...res.headers])} ${text}`);
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    };

    const put = await send('PUT', '/config/vault/db-password', { value: plaintext, secret: true });
    expect(put.status).toBe(201);
    expect(put.json).toMatchObject({ secret: true, envelope: { v: 1, kid: h.cipher.kid } });
    expect(put.json.value).toBeUndefined();
    await send('PUT', '/config/vault/db-password', {
      value: `${plaintext}-2`,
      secret: true,
      version: 1,
    });
    await send('PUT', '/config/vault/db-password', { value: plaintext, secret: true, version: 1 }); // 409
    await send('GET', '/config/vault/db-password');
    await send('GET', '/config/vault');
    await send('GET', '/config/vault/_audit');
    await send('PUT', '/config/vault/bad', { value: plaintext, secret: 'yes' }); // 400

    // The client, with the cipher, gets the plaintext back: the envelope really holds it.
    const clientLogs = memoryDestination();
    const client = new ConfigClient({
      url: h.url,
      apiKey: h.adminKey,
      namespaces: ['vault'],
      cipher: h.cipher,
      pollIntervalMs: 0,
      logger: createLogger({ destination: clientLogs, level: 'debug', env: {} }),
    });
    await client.start();
    expect(client.get('vault', 'db-password')).toBe(`${plaintext}-2`);

    expect(responses).toHaveLength(7);
    for (const response of responses) expect(response).not.toContain(plaintext);
    expect(await h.databaseFilesContaining(plaintext)).toEqual([]);
    // The check can fail: a plain value written the same way is found in the files.
    const marker = `plain-${randomUUID()}`;
    await send('PUT', '/config/vault/not-secret', { value: marker });
    expect(await h.databaseFilesContaining(marker)).not.toEqual([]);
    const logText = [...h.logs.lines(), ...clientLogs.lines()].join('\n');
    expect(logText).toContain('config.put'); // the writes were logged...
    expect(logText).not.toContain(plaintext); // ...without the value
  });

  it('accepts an envelope sealed by the writer, so the plaintext never crosses the wire', async () => {
    const plaintext = `client-sealed-${randomUUID()}`;
    const envelope = await h.cipher.encrypt(
      Buffer.from(JSON.stringify(plaintext)),
      'vault/api-token',
    );
    const res = await fetch(`${h.url}/config/vault/api-token`, {
      method: 'PUT',
      headers: { 'x-api-key': h.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ envelope }),
    });
    expect(res.status).toBe(201);
    const client = new ConfigClient({
      url: h.url,
      apiKey: h.adminKey,
      namespaces: ['vault'],
      cipher: h.cipher,
      pollIntervalMs: 0,
    });
    await client.start();
    expect(client.get('vault', 'api-token')).toBe(plaintext);
    expect(await h.databaseFilesContaining(plaintext)).toEqual([]);
  });

  it('does not open an envelope copied to another key (bound to namespace/key)', async () => {
    const stored = await h.store.get('vault', 'api-token');
    const res = await fetch(`${h.url}/config/vault/copied`, {
      method: 'PUT',
      headers: { 'x-api-key': h.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ envelope: stored?.value }),
    });
    expect(res.status).toBe(201);
    const logs = memoryDestination();
    const client = new ConfigClient({
      url: h.url,
      apiKey: h.adminKey,
      namespaces: ['vault'],
      cipher: h.cipher,
      pollIntervalMs: 0,
      logger: createLogger({ destination: logs, env: {} }),
    });
    await client.start();
    expect(client.get('vault', 'copied')).toBeUndefined();
    expect(logs.records().some((r) => r.msg === 'config.client.decrypt_failed')).toBe(true);
  });
});
