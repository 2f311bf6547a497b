// `node --import tsx bench/config.ts`: what one config read costs on each path, side by side
// in one run: the client's in-memory cache (what the shortener's hot path uses), the store
// directly (SQLite), and a request to the config service over HTTP on 127.0.0.1 (what a
// client without a cache would pay). Also the cost of sealing and opening one secret.
// Every phase is bounded in time (BENCH_SECONDS each); figures are ratios to the cache.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { AesCipher } from '../src/adapters/local/aes-cipher.ts';
import { SqliteConfigStore } from '../src/adapters/sqlite/config-store.ts';
import { openDatabase } from '../src/adapters/sqlite/database.ts';
import { createApiKey, createConfigApp } from '../src/config-service/index.ts';
import { ConfigClient, ConfigServiceClient, openJson, sealJson } from '../src/kit/config/index.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
if (!Number.isFinite(seconds) || seconds <= 0)
  throw new Error('BENCH_SECONDS: expected a positive number');
const progress = (message: string) => process.stderr.write(`bench:config: ${message}\n`);

/** Operations per second of `op`, run back to back for `seconds`. */
async function rate(op: () => unknown): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const started = performance.now();
  while (performance.now() < end) {
    // Batches keep the clock out of the measurement for the sub-microsecond cases.
    for (let i = 0; i < 100; i++) await op();
    n += 100;
  }
  return n / ((performance.now() - started) / 1000);
}

const dir = mkdtempSync(join(tmpdir(), 'shortline-bench-config-'));
const store = new SqliteConfigStore(openDatabase(join(dir, 'shortline.db')));
const cipher = new AesCipher(randomBytes(32));
const app = createConfigApp({ store, cipher });
const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
});
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
try {
  const { key } = await createApiKey(store, { scopes: ['admin'], createdBy: 'local' });
  const service = new ConfigServiceClient({ url, apiKey: key });
  await service.put('bench', 'redirect-max-age', { value: 300 });
  const client = new ConfigClient({ url, apiKey: key, namespaces: ['bench'], pollIntervalMs: 0 });
  if (!(await client.start())) throw new Error('the client could not load');

  const rows: Array<[string, number]> = [];
  progress('client cache (get)');
  rows.push([
    'ConfigClient.get (memory)',
    await rate(() => client.get('bench', 'redirect-max-age')),
  ]);
  progress('store (SQLite)');
  rows.push(['ConfigStore.get (SQLite)', await rate(() => store.get('bench', 'redirect-max-age'))]);
  progress('service in process');
  const headers = { 'x-api-key': key };
  rows.push([
    'the config app in process (no socket)',
    await rate(async () =>
      (await app.request('/config/bench/redirect-max-age', { headers })).json(),
    ),
  ]);
  progress('service over HTTP');
  rows.push([
    'GET /config/… over HTTP',
    await rate(() => service.get('bench', 'redirect-max-age')),
  ]);
  progress('seal and open a secret');
  const envelope = await sealJson(cipher, { password: 'x'.repeat(32) }, 'bench/secret');
  rows.push(['seal one secret (AES)', await rate(() => sealJson(cipher, 'v', 'bench/secret'))]);
  rows.push([
    'open one secret (AES)',
    await rate(() => openJson(cipher, envelope, 'bench/secret')),
  ]);

  const baseline = rows[0]?.[1] ?? 1;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`| path | reads/s | time of one, relative to the cache |`);
  console.log(`|---|---:|---:|`);
  for (const [name, perSecond] of rows) {
    console.log(`| ${name} | ${fmt(perSecond)} | ${(baseline / perSecond).toFixed(0)}x |`);
  }
  console.log(`\n(${seconds} s per row, Node ${process.version}, one process)`);
  client.close();
} finally {
  server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
