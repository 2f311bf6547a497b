import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKeyRecord, ConfigStore } from '../../src/config-service/ports.ts';

/** Makes a fresh, empty store on a test target (a new table, a new database). */
export type ConfigStoreFactory = () => Promise<ConfigStore>;

const actor = (keyId = 'k-test') => ({ keyId, at: new Date().toISOString() });
/** A namespace no other test uses. */
const ns = () => `ns-${randomUUID().slice(0, 8)}`;
const plain = (namespace: string, key: string, value: unknown) => ({
  namespace,
  key,
  value,
  secret: false,
});

function apiKey(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: randomUUID().replaceAll('-', '').slice(0, 16),
    hash: 'ab'.repeat(32),
    scopes: ['read:shortener'],
    description: 'test key',
    createdAt: new Date().toISOString(),
    createdBy: 'local',
    ...overrides,
  };
}

/**
 * The behaviour every ConfigStore adapter must have, typed against the port only.
 *
 * @example
 * configStoreContract('SQLite', async () => new SqliteConfigStore(openDatabase(':memory:')));
 */
export function configStoreContract(name: string, factory: ConfigStoreFactory): void {
  describe(`ConfigStore contract: ${name}`, () => {
    let store: ConfigStore;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores a JSON value at version 1 and reads it back', async () => {
      const n = ns();
      const value = { hosts: ['a', 'b'], ttl: 30, nested: { ok: true }, none: null };
      const result = await store.put(plain(n, 'db', value), undefined, actor('writer-1'));
      expect(result).toMatchObject({ status: 'ok', entry: { version: 1, value } });
      const read = await store.get(n, 'db');
      expect(read).toMatchObject({ namespace: n, key: 'db', version: 1, secret: false, value });
      expect(read?.updatedBy).toBe('writer-1');
      expect(await store.get(n, 'missing')).toBeUndefined();
    });

    it('gives every write a new version, and compares-and-sets when a version is expected', async () => {
      const n = ns();
      await store.put(plain(n, 'k', 1), undefined, actor());
      expect(await store.put(plain(n, 'k', 2), undefined, actor())).toMatchObject({
        status: 'ok',
        entry: { version: 2 },
      });
      expect(await store.put(plain(n, 'k', 3), 1, actor())).toEqual({
        status: 'conflict',
        current: 2,
      });
      expect(await store.put(plain(n, 'k', 3), 2, actor())).toMatchObject({
        status: 'ok',
        entry: { version: 3 },
      });
      expect((await store.get(n, 'k'))?.value).toBe(3);
    });

    it('treats expected version 0 as "must not exist yet"', async () => {
      const n = ns();
      expect(await store.put(plain(n, 'k', 'a'), 0, actor())).toMatchObject({ status: 'ok' });
      expect(await store.put(plain(n, 'k', 'b'), 0, actor())).toEqual({
        status: 'conflict',
        current: 1,
      });
      expect((await store.get(n, 'k'))?.value).toBe('a');
    });

    it('deletes with an optional expected version, and versions continue after re-creation', async () => {
      const n = ns();
      expect(await store.delete(n, 'k', undefined, actor())).toEqual({ status: 'not-found' });
      await store.put(plain(n, 'k', 'a'), undefined, actor());
      await store.put(plain(n, 'k', 'b'), undefined, actor());
      expect(await store.delete(n, 'k', 1, actor())).toEqual({ status: 'conflict', current: 2 });
      expect(await store.delete(n, 'k', 2, actor())).toEqual({ status: 'ok', version: 2 });
      expect(await store.get(n, 'k')).toBeUndefined();
      expect(await store.delete(n, 'k', 2, actor())).toEqual({ status: 'conflict', current: 0 });
      // An If-Match taken before the delete must never match the re-created value.
      const again = await store.put(plain(n, 'k', 'c'), 0, actor());
      expect(again).toMatchObject({ status: 'ok', entry: { version: 3 } });
    });

    it('lists a namespace by key, without deleted values or other namespaces', async () => {
      const [a, b] = [ns(), ns()];
      for (const key of ['zeta', 'alpha', 'mid'])
        await store.put(plain(a, key, key), undefined, actor());
      await store.put(plain(b, 'other', 1), undefined, actor());
      await store.delete(a, 'mid', undefined, actor());
      const listed = await store.list(a);
      expect(listed.map((e) => [e.key, e.value])).toEqual([
        ['alpha', 'alpha'],
        ['zeta', 'zeta'],
      ]);
      expect(await store.list(ns())).toEqual([]);
    });

    it('keeps the secret flag and the stored (sealed) value as given', async () => {
      const n = ns();
      const envelope = { v: 1, kid: 'local:x', edk: 'a.b.c', iv: 'aa', tag: 'bb', ct: 'cc' };
      await store.put(
        { namespace: n, key: 's', value: envelope, secret: true },
        undefined,
        actor(),
      );
      expect(await store.get(n, 's')).toMatchObject({ secret: true, value: envelope });
    });

    it('records who changed which key, newest first, never the value', async () => {
      const n = ns();
      await store.put(plain(n, 'a', 'v1'), undefined, actor('alice'));
      await store.put(
        { namespace: n, key: 's', value: { sealed: 1 }, secret: true },
        undefined,
        actor('bob'),
      );
      await store.delete(n, 'a', undefined, actor('carol'));
      const audit = await store.listAudit(n, 10);
      expect(audit.map((e) => [e.action, e.key, e.keyId, e.version, e.secret])).toEqual([
        ['delete', 'a', 'carol', 1, false],
        ['put', 's', 'bob', 1, true],
        ['put', 'a', 'alice', 1, false],
      ]);
      expect(JSON.stringify(audit)).not.toContain('v1');
      expect(await store.listAudit(n, 1)).toHaveLength(1);
    });

    it('lets exactly one of many concurrent writers expecting the same version win', async () => {
      const n = ns();
      await store.put(plain(n, 'k', 0), undefined, actor());
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.put(plain(n, 'k', i + 1), 1, actor(`w${i}`))),
      );
      expect(results.filter((r) => r.status === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'conflict')).toHaveLength(7);
      expect((await store.get(n, 'k'))?.version).toBe(2);
    });

    it('gives concurrent unconditional writers distinct consecutive versions', async () => {
      const n = ns();
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => store.put(plain(n, 'k', i), undefined, actor())),
      );
      const versions = results.map((r) => (r.status === 'ok' ? r.entry.version : -1));
      expect(versions.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await store.get(n, 'k'))?.version).toBe(6);
    });

    it('stores, lists and revokes API keys, auditing both', async () => {
      const key = apiKey({ scopes: ['admin', 'read:x'] });
      await store.createApiKey(key);
      expect(await store.getApiKey(key.id)).toEqual(key);
      expect((await store.listApiKeys()).map((k) => k.id)).toContain(key.id);
      expect(await store.revokeApiKey(key.id, actor('admin-1'))).toBe(true);
      expect((await store.getApiKey(key.id))?.revokedAt).toEqual(expect.any(String));
      expect(await store.revokeApiKey(key.id, actor('admin-1'))).toBe(true);
      expect(await store.revokeApiKey('0000000000000000', actor())).toBe(false);
      expect(await store.getApiKey('0000000000000000')).toBeUndefined();
      const audit = await store.listAudit('_keys', 10);
      const mine = audit.filter((e) => e.key === key.id).map((e) => [e.action, e.keyId]);
      expect(mine).toEqual([
        ['key.revoke', 'admin-1'],
        ['key.create', 'local'],
      ]);
    });
  });
}
