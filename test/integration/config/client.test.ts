import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Cipher,
  type ConfigChange,
  ConfigClient,
  type ConfigClientOptions,
  ConfigServiceClient,
} from '../../../src/kit/config/index.ts';
import { runWithContext } from '../../../src/kit/context/index.ts';
import { createLogger, memoryDestination } from '../../../src/kit/log/index.ts';
import { eventually } from '../../support/eventually.ts';
import { type ConfigHarness, startConfigHarness } from './harness.ts';

const POLL_MS = 200;

let h: ConfigHarness;
let admin: ConfigServiceClient;
const clients: ConfigClient[] = [];
let seq = 0;
/** A namespace no other test touches. */
const ns = () => `client-${Date.now().toString(36)}-${seq++}`;

beforeAll(async () => {
  h = await startConfigHarness();
  admin = new ConfigServiceClient({ url: h.url, apiKey: h.adminKey });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(() => h.dispose());

function client(namespace: string, extra: Partial<ConfigClientOptions> = {}, withCipher = true) {
  const logs = memoryDestination();
  const counts: Record<string, number> = {};
  const c = new ConfigClient({
    url: h.url,
    apiKey: h.adminKey,
    namespaces: [namespace],
    pollIntervalMs: POLL_MS,
    logger: createLogger({ destination: logs, env: {} }),
    metrics: {
      count(name: string, value = 1) {
        counts[name] = (counts[name] ?? 0) + value;
      },
    },
    ...(withCipher ? { cipher: h.cipher } : {}),
    ...extra,
  });
  clients.push(c);
  return { c, logs, counts };
}

describe('config client against a real service', () => {
  it('fetches on start and serves reads from memory', async () => {
    const n = ns();
    await admin.put(n, 'max-age', { value: 60 });
    await admin.put(n, 'hosts', { value: ['a', 'b'] });
    const { c } = client(n);
    expect(c.get(n, 'max-age')).toBeUndefined();
    expect(await c.start()).toBe(true);
    expect(c.get(n, 'max-age')).toBe(60);
    expect(c.get(n, 'hosts')).toEqual(['a', 'b']);
    expect(c.get(n, 'missing', 'fallback')).toBe('fallback');
    expect(c.version(n, 'max-age')).toBe(1);
    expect(c.healthy).toBe(true);
  });

  it('sees a change and a delete within one poll interval, and tells its listeners', async () => {
    const n = ns();
    await admin.put(n, 'max-age', { value: 60 });
    await admin.put(n, 'gone', { value: 'soon' });
    const { c } = client(n);
    await c.start();
    const changes: ConfigChange[] = [];
    c.onChange((change) => changes.push(change));
    const written = Date.now();
    await admin.put(n, 'max-age', { value: 120, version: 1 });
    await admin.delete(n, 'gone');
    // One poll interval, plus a margin for the request itself on a loaded two-core machine.
    await eventually(() => expect(c.get(n, 'max-age')).toBe(120), { timeoutMs: POLL_MS + 800 });
    await eventually(() => expect(c.get(n, 'gone')).toBeUndefined(), { timeoutMs: POLL_MS + 800 });
    expect(Date.now() - written).toBeLessThan(POLL_MS + 800);
    expect(changes).toContainEqual({
      namespace: n,
      key: 'max-age',
      value: 120,
      previous: 60,
      version: 2,
    });
    expect(changes).toContainEqual({
      namespace: n,
      key: 'gone',
      value: undefined,
      previous: 'soon',
      version: 0,
    });
  });

  it('keeps serving the last good value while the service is down, then catches up', async () => {
    const n = ns();
    await admin.put(n, 'db-url', { value: 'postgres://one' });
    const { c, logs, counts } = client(n);
    await c.start();
    await h.stop();
    try {
      await eventually(
        () => expect(counts['config.client.fetch_errors']).toBeGreaterThanOrEqual(2),
        {
          timeoutMs: 5000,
        },
      );
      expect(c.get(n, 'db-url')).toBe('postgres://one');
      expect(c.healthy).toBe(false);
      const warning = logs.records().find((r) => r.msg === 'config.client.fetch_failed');
      expect(warning).toMatchObject({ level: 'warn', namespace: n, servingStale: true });
    } finally {
      await h.start();
    }
    await admin.put(n, 'db-url', { value: 'postgres://two' });
    await eventually(() => expect(c.get(n, 'db-url')).toBe('postgres://two'), { timeoutMs: 5000 });
    expect(c.healthy).toBe(true);
    expect(logs.records().some((r) => r.msg === 'config.client.recovered')).toBe(true);
  });

  it('starts without the service (start() resolves false) and loads once it is back', async () => {
    const n = ns();
    await admin.put(n, 'flag', { value: true });
    await h.stop();
    let c: ConfigClient;
    try {
      ({ c } = client(n));
      expect(await c.start()).toBe(false);
      expect(c.get(n, 'flag', false)).toBe(false);
    } finally {
      await h.start();
    }
    await eventually(() => expect(c.get(n, 'flag')).toBe(true), { timeoutMs: 5000 });
  });

  it('opens secrets with its cipher; without one a secret reads as undefined', async () => {
    const n = ns();
    await admin.put(n, 'token', { value: { bearer: 'abc123' }, secret: true });
    const { c } = client(n);
    await c.start();
    expect(c.get(n, 'token')).toEqual({ bearer: 'abc123' });
    const { c: blind, logs } = client(n, {}, false);
    await blind.start();
    expect(blind.get(n, 'token')).toBeUndefined();
    expect(logs.records().some((r) => r.msg === 'config.client.no_cipher')).toBe(true);
  });

  it('retries a secret that failed to open on the next poll, even when nothing changed', async () => {
    const n = ns();
    await admin.put(n, 'token', { value: 'opened-later', secret: true });
    let failuresLeft = 2;
    const flaky: Cipher = {
      encrypt: (plain, aad) => h.cipher.encrypt(plain, aad),
      async decrypt(envelope, aad) {
        if (failuresLeft-- > 0) throw new Error('key service briefly unavailable');
        return h.cipher.decrypt(envelope, aad);
      },
    };
    const { c, counts } = client(n, { cipher: flaky });
    await c.start();
    expect(c.get(n, 'token')).toBeUndefined();
    await eventually(() => expect(c.get(n, 'token')).toBe('opened-later'), { timeoutMs: 5000 });
    expect(counts['config.client.decrypt_errors']).toBe(2);
  });

  it('refreshes a cache older than maxAgeMs on load()', async () => {
    const n = ns();
    await admin.put(n, 'k', { value: 1 });
    const { c } = client(n, { pollIntervalMs: 0, maxAgeMs: 50 });
    await c.start();
    await admin.put(n, 'k', { value: 2 });
    expect(c.get(n, 'k')).toBe(1); // no polling: the cache stays as it was
    await eventually(async () => expect(await c.load(n, 'k')).toBe(2));
  });

  it('forwards the correlation ids of the current context', async () => {
    const n = ns();
    const seen: string[] = [];
    const spy: typeof fetch = (input, init) => {
      seen.push(new Headers(init?.headers).get('x-correlation-id') ?? '');
      return fetch(input, init);
    };
    const { c } = client(n, { fetch: spy, pollIntervalMs: 0 });
    const context = { correlationIds: { 'x-correlation-id': 'corr-42' }, debugLogEnabled: false };
    await runWithContext(context, () => c.refresh());
    expect(seen).toEqual(['corr-42']);
  });

  it('polls once per interval however often start() is called, and not at all after close()', async () => {
    const n = ns();
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const { c } = client(n, { fetch: counting, pollIntervalMs: 100 });
    await Promise.all([c.start(), c.start(), c.start()]);
    const afterStart = requests;
    await eventually(() => expect(requests).toBeGreaterThanOrEqual(afterStart + 3), {
      timeoutMs: 3000,
    });
    const started = Date.now();
    const before = requests;
    await eventually(() => expect(requests).toBeGreaterThanOrEqual(before + 3), {
      timeoutMs: 3000,
    });
    // One chain of 100 ms polls: three more requests take at least ~200 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    c.close();
    const closedAt = requests;
    // Proving an absence needs a wait: three poll intervals in which nothing may happen.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(requests).toBeLessThanOrEqual(closedAt + 1);
  });

  it('rejects unknown options and bad namespaces when created', () => {
    const base = { url: h.url, apiKey: 'k', namespaces: ['ok'] };
    expect(() => new ConfigClient({ ...base, pollMs: 5 } as never)).toThrow(/unknown option/);
    expect(() => new ConfigClient({ ...base, namespaces: ['Bad Name'] })).toThrow(/bad namespace/);
    expect(() => new ConfigClient({ ...base, url: 'not a url' })).toThrow(/not a URL/);
  });
});
