import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteConfigStore } from '../../../src/adapters/sqlite/config-store.ts';
import { openDatabase } from '../../../src/adapters/sqlite/database.ts';
import { createApiKey } from '../../../src/config-service/index.ts';
import { createObservability } from '../../../src/kit/http/index.ts';
import { memoryDestination } from '../../../src/kit/log/index.ts';
import { loadConfig } from '../../../src/runtime/config.ts';
import { type LocalService, startLocalService } from '../../../src/runtime/local/service.ts';
import { eventually } from '../../support/eventually.ts';

// `npm start` with SHORTLINE_CONFIG_API_KEY set: the shortener reads its settings from its
// own config service (in process), falling back to env for anything not set there.
const logs = memoryDestination();
let service: LocalService;
let dataDir: string;
let url: string;
let adminKey: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'shortline-dogfood-'));
  // Bootstrap as `shortline config keys create` does: straight on the database file.
  const bootstrap = new SqliteConfigStore(openDatabase(join(dataDir, 'shortline.db')));
  adminKey = (await createApiKey(bootstrap, { scopes: ['admin'], createdBy: 'local' })).key;
  const readKey = (
    await createApiKey(bootstrap, { scopes: ['read:shortener'], createdBy: 'local' })
  ).key;
  await bootstrap.close();
  const config = loadConfig({
    env: {},
    overrides: { host: '127.0.0.1', port: 0, dataDir, createRateLimit: 0, redirectMaxAge: 300 },
  });
  const observability = createObservability({
    name: 'shortline',
    level: 'info',
    env: { DEBUG_SAMPLE_RATE: '0', METRICS_FORMAT: 'none' },
    destination: logs,
  });
  service = await startLocalService(config, {
    observability,
    env: { SHORTLINE_CONFIG_API_KEY: readKey, SHORTLINE_CONFIG_POLL_MS: '100' },
  });
  url = service.url ?? '';
});

afterAll(async () => {
  await service?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const setConfig = async (key: string, body: unknown) => {
  const res = await fetch(`${url}/config/shortener/${key}`, {
    method: 'PUT',
    headers: { 'x-api-key': adminKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
};

async function create(apiKey?: string) {
  return fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
    body: JSON.stringify({ url: `https://example.com/${randomUUID()}` }),
  });
}

describe('the shortener reads its settings from the config service', () => {
  it('serves the config service under /config on the local server', async () => {
    expect((await fetch(`${url}/config/shortener`)).status).toBe(401);
    const res = await fetch(`${url}/config/shortener`, { headers: { 'x-api-key': adminKey } });
    expect(res.status).toBe(200);
  });

  it('takes redirect max-age, app-link documents and creation keys from config, and falls back when removed', async () => {
    const created = await create();
    expect(created.status).toBe(201);
    const { code } = (await created.json()) as { code: string };
    const maxAge = async () =>
      (await fetch(`${url}/${code}`, { redirect: 'manual' })).headers.get('cache-control');
    expect(await maxAge()).toBe('public, max-age=300');
    expect(await (await fetch(`${url}/.well-known/assetlinks.json`)).json()).toEqual([]);

    const assetLinks = [
      {
        relation: ['delegate_permission/common.handle_all_urls'],
        target: {
          namespace: 'android_app',
          package_name: 'com.example.cfg',
          sha256_cert_fingerprints: [],
        },
      },
    ];
    const aasa = {
      applinks: {
        apps: [],
        details: [{ appIDs: ['ABCDE12345.com.example.cfg'], components: [{ '/': '/*' }] }],
      },
    };
    const creationKey = `create-${randomUUID()}`;
    await setConfig('redirect-max-age', { value: 42 });
    await setConfig('assetlinks', { value: assetLinks });
    await setConfig('apple-app-site-association', { value: aasa });
    await setConfig('api-keys', { value: [creationKey], secret: true });

    // Four writes may straddle a poll, so each value is awaited on its own.
    await eventually(async () => expect(await maxAge()).toBe('public, max-age=42'));
    await eventually(async () =>
      expect(await (await fetch(`${url}/.well-known/assetlinks.json`)).json()).toEqual(assetLinks),
    );
    await eventually(async () =>
      expect(await (await fetch(`${url}/apple-app-site-association`)).json()).toEqual(aasa),
    );
    await eventually(async () => expect((await create()).status).toBe(401));
    expect((await create(creationKey)).status).toBe(201);

    // A value of the wrong shape is ignored with a warning; a deleted one falls back to env.
    await setConfig('redirect-max-age', { value: 'soon' });
    await eventually(() =>
      expect(logs.records().some((r) => r.msg === 'config.shortener.invalid_value')).toBe(true),
    );
    expect(await maxAge()).toBe('public, max-age=300');
    await fetch(`${url}/config/shortener/api-keys`, {
      method: 'DELETE',
      headers: { 'x-api-key': adminKey },
    });
    await eventually(async () => expect((await create()).status).toBe(201));
  });
});
