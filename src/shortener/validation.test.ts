import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSlug, checkUrl, MAX_URL_LENGTH } from './validation.ts';

const own = { ownHosts: ['sho.rt'] };

describe('checkUrl', () => {
  it('never throws and never accepts anything but an absolute http(s) URL within the limit', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
          fc.string().map((s) => `https://${s}`),
          fc.anything({ maxDepth: 1 }),
        ),
        (input) => {
          const result = checkUrl(input, own);
          if (result.ok) {
            const parsed = new URL(result.url);
            expect(['http:', 'https:']).toContain(parsed.protocol);
            expect(parsed.username + parsed.password).toBe('');
            expect(result.url.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
            expect(parsed.hostname).not.toBe('sho.rt');
          } else {
            expect(result.reason).toEqual(expect.any(String));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('accepts web URLs and normalises them', () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ['http', 'https'] }), (url) => {
        const result = checkUrl(url, own);
        if (url.length <= MAX_URL_LENGTH && !/@/.test(new URL(url).host)) {
          expect(result.ok).toBe(true);
        }
      }),
    );
    expect(checkUrl('HTTP://Example.COM', own)).toEqual({ ok: true, url: 'http://example.com/' });
  });

  it('refuses other schemes, credentials and the own host', () => {
    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/plain,hi',
      'file:///etc/passwd',
      'ftp://example.com/',
      'mailto:a@example.com',
      'https://user@example.com/',
      'https://:pw@example.com/',
      'https://SHO.RT/abc',
      'https://sho.rt./abc',
      '//example.com/path',
    ]) {
      expect(checkUrl(url, own).ok, url).toBe(false);
    }
  });
});

describe('checkSlug', () => {
  it('never throws, and anything accepted matches the pattern and is not reserved', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = checkSlug(input);
        if (result.ok) expect(result.slug).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/);
      }),
    );
    expect(checkSlug('API').ok).toBe(false);
    expect(checkSlug('spring-sale').ok).toBe(true);
  });
});
