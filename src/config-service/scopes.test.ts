import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseApiKey } from './api-keys.ts';
import { allows, parseScopes } from './scopes.ts';

describe('scopes', () => {
  it('accepts admin, read/write per namespace and *, and refuses anything else', () => {
    expect(
      parseScopes(['read:shortener', 'write:billing', 'read:*', 'admin', 'read:shortener']),
    ).toEqual(['read:shortener', 'write:billing', 'read:*', 'admin']);
    for (const bad of [
      [],
      ['root'],
      ['read:'],
      ['read:Bad'],
      ['delete:x'],
      ['read:_keys'],
      ['write: x'],
    ]) {
      expect(() => parseScopes(bad)).toThrow();
    }
  });

  it('lets write imply read, * cover every namespace, and only admin administer', () => {
    const ns = 'shortener';
    const read = { kind: 'read', namespace: ns } as const;
    const write = { kind: 'write', namespace: ns } as const;
    expect([allows(['read:shortener'], read), allows(['read:shortener'], write)]).toEqual([
      true,
      false,
    ]);
    expect([allows(['write:shortener'], read), allows(['write:shortener'], write)]).toEqual([
      true,
      true,
    ]);
    expect([allows(['read:other'], read), allows(['write:other'], write)]).toEqual([false, false]);
    expect([
      allows(['read:*'], read),
      allows(['read:*'], write),
      allows(['write:*'], write),
    ]).toEqual([true, false, true]);
    expect([allows(['write:*'], { kind: 'admin' }), allows(['admin'], { kind: 'admin' })]).toEqual([
      false,
      true,
    ]);
    expect(allows(['admin'], write)).toBe(true);
  });

  it('never lets a read-only scope set write anything (property)', () => {
    const name = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            name.map((n) => `read:${n}`),
            fc.constant('read:*'),
          ),
        ),
        name,
        (scopes, ns) => {
          expect(allows(scopes, { kind: 'write', namespace: ns })).toBe(false);
        },
      ),
    );
  });
});

describe('parseApiKey', () => {
  it('never throws, and accepts only the slk_<16 hex>_<secret> shape (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseApiKey(text);
        if (parsed) expect(text).toBe(`slk_${parsed.id}_${parsed.secret}`);
      }),
    );
    const secret = 'a'.repeat(43);
    expect(parseApiKey(`slk_0123456789abcdef_${secret}`)).toEqual({
      id: '0123456789abcdef',
      secret,
    });
    expect(parseApiKey(`slk_0123456789ABCDEF_${secret}`)).toBeUndefined();
    expect(parseApiKey('slk_0123456789abcdef_short')).toBeUndefined();
  });
});
