/** The longest long URL accepted, in characters. */
export const MAX_URL_LENGTH = 2048;

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

export type UrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/**
 * Decide whether `input` may be shortened. Never throws: anything that is not an absolute
 * http(s) URL within the length limit, without credentials, pointing elsewhere than one of
 * `ownHosts` (which would make a redirect loop), is refused with a reason a person can read.
 * The accepted URL is returned normalised (WHATWG serialisation), which is what gets stored
 * and hashed, so `HTTP://Example.com` and `http://example.com/` are one link.
 *
 * @example
 * checkUrl('https://example.com/a b', { ownHosts: ['sho.rt'] }); // { ok: true, url: 'https://example.com/a%20b' }
 */
export function checkUrl(input: unknown, { ownHosts }: { ownHosts: readonly string[] }): UrlCheck {
  if (typeof input !== 'string' || input.trim() === '') {
    return { ok: false, reason: 'url is required' };
  }
  if (input.length > MAX_URL_LENGTH) {
    return { ok: false, reason: `url is longer than ${MAX_URL_LENGTH} characters` };
  }
  let parsed: URL;
  try {
    parsed = new URL(input.trim());
  } catch {
    return { ok: false, reason: 'url is not an absolute URL' };
  }
  if (!ALLOWED_SCHEMES.has(parsed.protocol)) {
    return { ok: false, reason: 'only http and https URLs can be shortened' };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { ok: false, reason: 'URLs with credentials (user:password@) are not accepted' };
  }
  if (parsed.hostname === '') {
    return { ok: false, reason: 'url has no host' };
  }
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  if (ownHosts.some((own) => own.toLowerCase().replace(/\.$/, '') === host)) {
    return { ok: false, reason: 'links to this shortener itself are not accepted' };
  }
  const url = parsed.href;
  // Normalising can lengthen a URL (percent-encoding); the limit applies to what is stored.
  if (url.length > MAX_URL_LENGTH) {
    return { ok: false, reason: `url is longer than ${MAX_URL_LENGTH} characters` };
  }
  return { ok: true, url };
}

/** Custom slugs: letters, digits, `-` and `_`, 3 to 64 characters, starting with a letter or digit. */
export const SLUG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;

/**
 * Paths the service itself answers or may answer one day; a slug may not take them. Compared
 * case-insensitively.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'api',
  'health',
  'healthz',
  'metrics',
  'openapi',
  'openapi.json',
  'config',
  'apple-app-site-association',
  '.well-known',
  'well-known',
  'assetlinks.json',
  'favicon.ico',
  'robots.txt',
  'index.html',
  'static',
  'assets',
  'admin',
  'login',
  'logout',
  'docs',
]);

export type SlugCheck = { ok: true; slug: string } | { ok: false; reason: string };

/** Decide whether `input` may be used as a custom code. Never throws. */
export function checkSlug(input: unknown): SlugCheck {
  if (typeof input !== 'string') return { ok: false, reason: 'slug must be a string' };
  if (!SLUG_PATTERN.test(input)) {
    return {
      ok: false,
      reason:
        'slug must be 3-64 characters of letters, digits, "-" and "_", starting with a letter or digit',
    };
  }
  if (RESERVED_SLUGS.has(input.toLowerCase())) {
    return { ok: false, reason: `slug "${input}" is reserved` };
  }
  return { ok: true, slug: input };
}
