import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LinkStore, NewLink } from '../../src/shortener/ports.ts';

/** Makes a fresh, empty store on a test target (a new table, a new database). */
export type LinkStoreFactory = () => Promise<LinkStore>;

let seq = 0;
/** A link with unique code, URL and hash, so no test depends on another's data. */
export function newLink(overrides: Partial<NewLink> = {}): NewLink {
  const id = `${Date.now().toString(36)}${(seq++).toString(36)}${randomUUID().slice(0, 4)}`;
  return {
    code: `c${id}`,
    url: `https://example.com/${id}`,
    urlHash: `h${id}`,
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

const linkOf = ({ code, url, createdAt }: NewLink) => ({ code, url, createdAt });

/**
 * The behaviour every LinkStore adapter must have. Typed against the port only; each adapter's
 * test file calls it with a factory for its backend.
 *
 * @example
 * linkStoreContract('sqlite', async () => new SqliteLinkStore(openDatabase(':memory:')));
 */
export function linkStoreContract(name: string, factory: LinkStoreFactory): void {
  describe(`LinkStore contract: ${name}`, () => {
    let store: LinkStore;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores a link and finds it by code and by URL hash', async () => {
      const link = newLink();
      expect(await store.insert(link)).toEqual({ status: 'created', link: linkOf(link) });
      expect(await store.getByCode(link.code)).toEqual(linkOf(link));
      expect(await store.getByUrlHash(link.urlHash)).toEqual(linkOf(link));
    });

    it('answers undefined for unknown codes and hashes', async () => {
      const link = newLink();
      expect(await store.getByCode(link.code)).toBeUndefined();
      expect(await store.getByUrlHash(link.urlHash)).toBeUndefined();
    });

    it('returns the existing link when the URL already has one, writing nothing', async () => {
      const first = newLink();
      await store.insert(first);
      const again = newLink({ url: first.url, urlHash: first.urlHash });
      expect(await store.insert(again)).toEqual({ status: 'exists', link: linkOf(first) });
      expect(await store.getByCode(again.code)).toBeUndefined();
    });

    it('returns the existing link when the same link is inserted twice', async () => {
      const link = newLink();
      await store.insert(link);
      expect(await store.insert(link)).toEqual({ status: 'exists', link: linkOf(link) });
    });

    it('reports a code taken by another URL and stores nothing for the new URL', async () => {
      const first = newLink();
      await store.insert(first);
      const other = newLink({ code: first.code });
      expect(await store.insert(other)).toEqual({ status: 'code-taken' });
      expect(await store.getByUrlHash(other.urlHash)).toBeUndefined();
      expect(await store.getByCode(first.code)).toEqual(linkOf(first));
    });

    it('prefers "exists" when the URL has a link and the code is taken', async () => {
      const a = newLink();
      const b = newLink();
      await store.insert(a);
      await store.insert(b);
      const clash = newLink({ code: b.code, url: a.url, urlHash: a.urlHash });
      expect(await store.insert(clash)).toEqual({ status: 'exists', link: linkOf(a) });
    });

    it('keeps one link when the same URL is inserted concurrently', async () => {
      const base = newLink();
      const attempts = Array.from({ length: 8 }, () =>
        newLink({ url: base.url, urlHash: base.urlHash }),
      );
      const results = await Promise.all(attempts.map((link) => store.insert(link)));
      const created = results.filter((r) => r.status === 'created');
      expect(created).toHaveLength(1);
      const winner = created[0]?.status === 'created' ? created[0].link : undefined;
      for (const result of results) {
        expect(result.status === 'code-taken' ? undefined : result.link).toEqual(winner);
      }
      expect(await store.getByUrlHash(base.urlHash)).toEqual(winner);
      const found = await Promise.all(attempts.map((link) => store.getByCode(link.code)));
      expect(found.filter(Boolean)).toEqual([winner]);
    });

    it('gives a code to one URL when several claim it concurrently', async () => {
      const base = newLink();
      const claims = Array.from({ length: 6 }, () => newLink({ code: base.code }));
      const results = await Promise.all(claims.map((link) => store.insert(link)));
      expect(results.filter((r) => r.status === 'created')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'code-taken')).toHaveLength(5);
      const holder = await store.getByCode(base.code);
      const stored = await Promise.all(claims.map((link) => store.getByUrlHash(link.urlHash)));
      expect(stored.filter(Boolean)).toEqual([holder]);
    });

    it('hands out consecutive, non-overlapping counter blocks', async () => {
      const first = await store.reserveBlock(100);
      expect(first).toBeGreaterThanOrEqual(1);
      expect(await store.reserveBlock(10)).toBe(first + 100);
      expect(await store.reserveBlock(1)).toBe(first + 110);
    });

    it('never gives two concurrent callers overlapping blocks', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 6 }),
          async (sizes) => {
            const starts = await Promise.all(sizes.map((size) => store.reserveBlock(size)));
            const ranges = starts
              .map((start, i) => [start, start + (sizes[i] ?? 0) - 1] as const)
              .sort((x, y) => x[0] - y[0]);
            for (let i = 1; i < ranges.length; i++) {
              expect(ranges[i]?.[0]).toBe((ranges[i - 1]?.[1] ?? 0) + 1);
            }
          },
        ),
        { numRuns: 15 },
      );
    });

    it('rejects block sizes that are not positive integers', async () => {
      for (const size of [0, -1, 1.5, Number.NaN]) {
        await expect(store.reserveBlock(size)).rejects.toThrow(RangeError);
      }
    });
  });
}
