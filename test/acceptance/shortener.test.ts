import { expect, it } from 'vitest';
import { describeTargets, postJson, uniqueUrl } from '../support/service-target.ts';

describeTargets('shortener', (target) => {
  it('shortens a URL and redirects with a permanent, briefly cached 308', async () => {
    const url = uniqueUrl();
    const created = await postJson(target(), { url });
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body).toMatchObject({ url, code: expect.stringMatching(/^[A-Za-z0-9]{5,}$/) });
    expect(body.shortUrl).toMatch(new RegExp(`/${body.code}$`));

    const redirect = await target().fetch(`/${body.code}`);
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe(url);
    expect(redirect.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(redirect.headers.get('x-robots-tag')).toBe('noindex');

    if (target().mode !== 'in-process') {
      // The short URL itself works: it names the address the service is really reached at.
      const followed = await fetch(body.shortUrl, { redirect: 'manual' });
      expect(followed.status).toBe(308);
      expect(followed.headers.get('location')).toBe(url);
    }

    const head = await target().fetch(`/${body.code}`, { method: 'HEAD' });
    expect(head.status).toBe(308);
    expect(head.headers.get('location')).toBe(url);
  });

  it('gives the same URL the same code (200 the second time)', async () => {
    const url = uniqueUrl();
    const first = await (await postJson(target(), { url })).json();
    const again = await postJson(target(), { url });
    expect(again.status).toBe(200);
    expect((await again.json()).code).toBe(first.code);
  });

  it('creates exactly one link when the same new URL is posted concurrently', async () => {
    const url = uniqueUrl('race');
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postJson(target(), { url })),
    );
    const codes = new Set(await Promise.all(responses.map(async (r) => (await r.json()).code)));
    expect(codes.size).toBe(1);
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.every((r) => r.status === 201 || r.status === 200)).toBe(true);
  });

  it('accepts a form post', async () => {
    const url = uniqueUrl('form');
    const response = await target().fetch('/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ url }).toString(),
    });
    expect(response.status).toBe(201);
    expect((await response.json()).url).toBe(url);
  });

  it('gives consecutive links unrelated codes', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 5; i++)
      codes.push((await (await postJson(target(), { url: uniqueUrl() })).json()).code);
    expect(new Set(codes).size).toBe(5);
    // No shared prefix run like aaaa1, aaaa2: at most two codes share their first three characters.
    const prefixes = codes.map((code) => code.slice(0, 3));
    expect(new Set(prefixes).size).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['an ftp URL', 'ftp://example.com/file'],
    ['a relative URL', '/just/a/path'],
    ['a URL with credentials', 'https://user:secret@example.com/'],
    ['a URL over 2,048 characters', `https://example.com/${'a'.repeat(2048)}`],
    ['an empty URL', ''],
  ])('refuses %s with 400 invalid_url', async (_name, url) => {
    const response = await postJson(target(), { url });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toMatch(/invalid_url|invalid_request/);
    expect(body.error.message).toEqual(expect.any(String));
  });

  it('refuses links to its own host (a redirect loop)', async () => {
    const created = await (await postJson(target(), { url: uniqueUrl() })).json();
    const response = await postJson(target(), { url: created.shortUrl });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('invalid_url');
  });

  it('answers bad bodies with JSON errors: missing url, malformed JSON, wrong type, too large', async () => {
    const missing = await postJson(target(), { link: 'https://example.com/' });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.code).toEqual(expect.any(String));

    const malformed = await target().fetch('/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"url": ',
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toBeDefined();

    const text = await target().fetch('/', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'https://example.com/',
    });
    expect(text.status).toBe(415);
    expect((await text.json()).error.code).toBe('unsupported_media_type');

    const huge = await postJson(target(), { url: uniqueUrl(), padding: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('payload_too_large');
  });

  it('uses a custom slug, refuses a taken one with 409 and reserved or malformed ones with 400', async () => {
    const slug = `s-${crypto.randomUUID().slice(0, 8)}`;
    const created = await postJson(target(), { url: uniqueUrl(), slug });
    expect(created.status).toBe(201);
    expect((await created.json()).code).toBe(slug);
    expect((await target().fetch(`/${slug}`)).status).toBe(308);

    const taken = await postJson(target(), { url: uniqueUrl(), slug });
    expect(taken.status).toBe(409);
    expect((await taken.json()).error.code).toBe('slug_taken');

    for (const bad of [
      'api',
      'health',
      'metrics',
      'apple-app-site-association',
      '.well-known',
      'a b',
      'x',
    ]) {
      const response = await postJson(target(), { url: uniqueUrl(), slug: bad });
      expect(response.status, bad).toBe(400);
    }
  });

  it('answers 404 with a JSON error for an unknown code', async () => {
    const response = await target().fetch(`/no${crypto.randomUUID().slice(0, 8)}`);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
  });

  it('reports a link with its visit count at /api/links/{code}', async () => {
    const url = uniqueUrl();
    const { code } = await (await postJson(target(), { url })).json();
    const response = await target().fetch(`/api/links/${code}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ code, url, visits: expect.any(Number) });
    expect(Number.isNaN(Date.parse(body.createdAt))).toBe(false);
    expect((await target().fetch('/api/links/nosuchcode0')).status).toBe(404);
  });

  it('serves the creation page', async () => {
    const response = await target().fetch('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await response.text();
    expect(html).toMatch(/<form[^>]*id="create"/);
  });

  it('serves apple-app-site-association at both paths and assetlinks.json, as JSON without redirects', async () => {
    for (const path of ['/apple-app-site-association', '/.well-known/apple-app-site-association']) {
      const response = await target().fetch(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await response.json()).applinks).toBeDefined();
    }
    const android = await target().fetch('/.well-known/assetlinks.json');
    expect(android.status).toBe(200);
    expect(android.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Array.isArray(await android.json())).toBe(true);
  });

  it('answers health and describes itself in OpenAPI 3.1', async () => {
    expect(await (await target().fetch('/health')).json()).toMatchObject({ status: 'ok' });
    const doc = await (await target().fetch('/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(doc.paths['/'].post.requestBody.content).toHaveProperty('application/json');
    expect(doc.paths['/{code}'].get.responses).toHaveProperty('308');
    expect(doc.paths['/api/links/{code}'].get).toBeDefined();
  });
});
