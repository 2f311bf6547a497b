import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { limitBody, observeRequests, requestHeader } from '../kit/http/index.ts';
import type { Logger } from '../kit/log/index.ts';
import type { Metrics } from '../kit/metrics/index.ts';
import type { ApiKeys } from './api-keys.ts';
import { errorBody, ShortenerError } from './errors.ts';
import type { LinkService } from './links.ts';
import type { Page } from './page.ts';
import type { LinkEventPublisher, LinkStats } from './ports.ts';
import type { RateLimiter } from './rate-limit.ts';
import {
  CodeParam,
  CreateLinkBody,
  ErrorResponse,
  errorContent,
  LinkCreated,
  LinkDetails,
} from './schemas.ts';
import { checkSlug, checkUrl } from './validation.ts';

/** Values that may change while the service runs (e.g. from the config service). */
export interface ShortenerSettings {
  /** `Cache-Control: max-age` of redirects, in seconds. */
  redirectMaxAge: number;
  apiKeys: ApiKeys;
  /** The AASA document, already serialised. */
  appleAppSiteAssociation: string;
  /** The assetlinks.json document, already serialised. */
  assetLinks: string;
}

export interface ShortenerDeps {
  links: LinkService;
  /**
   * The public short domain, e.g. `https://sho.rt`; short URLs are built on it. Without it,
   * each request's own origin is used (right for a local server on any port or address).
   */
  baseUrl?: string | undefined;
  /** Current settings; called per request, so it must be cheap (return a cached object). */
  settings: () => ShortenerSettings;
  page: Page;
  events?: LinkEventPublisher;
  stats?: LinkStats;
  rateLimiter?: RateLimiter;
  /** The caller's address, for rate limiting (the runtime knows how to find it). */
  clientAddress?: (c: Context) => string | undefined;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes?: number;
  /** Per-request context, one log line per request and the shortener's metrics. */
  observability?: ShortenerObservability;
  /**
   * More routes on the short domain (the local server's `GET /metrics` and config service),
   * added before the catch-all `GET /{code}` and observed like the shortener's own. Mounting the
   * shortener under a parent app instead wraps each of its routes in one more hono compose,
   * about a dozen more promises per redirect.
   */
  mount?: (app: OpenAPIHono) => void;
}

/** What the shortener logs and measures with (see docs/observability.md). */
export interface ShortenerObservability {
  logger: Logger;
  metrics: Metrics;
  /** Share of requests sampled for debug logging; default 1%. */
  debugSampleRate?: number;
}

/** A short path segment can be a code; anything longer is a 404 without a lookup. */
const MAX_CODE_LENGTH = 64;

/**
 * The shortener's HTTP API as a hono app: web-standard Request in, Response out, so the Node
 * server and the Lambda handler are thin adapters around it.
 *
 * @example
 * const app = createShortenerApp({ links, baseUrl: 'http://localhost:3000', settings: () => s, page });
 * const res = await app.request('/', { method: 'POST', body: JSON.stringify({ url }), headers });
 */
export function createShortenerApp(deps: ShortenerDeps): OpenAPIHono {
  const { links, events, stats } = deps;
  const configuredBase = deps.baseUrl?.replace(/\/+$/, '');
  const configuredHost =
    configuredBase === undefined ? undefined : new URL(configuredBase).hostname;
  /** The short domain for this request, and every host name that would make a redirect loop. */
  const shortDomain = (c: Context) => {
    const own = new URL(c.req.url);
    return {
      base: configuredBase ?? own.origin,
      ownHosts: configuredHost === undefined ? [own.hostname] : [configuredHost, own.hostname],
    };
  };
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
        throw new ShortenerError(
          'invalid_request',
          `${where}${issue?.message ?? 'invalid request'}`,
          400,
        );
      }
    },
  });

  const metrics = deps.observability?.metrics;
  // Redirects are counted here and recorded once per metrics flush, not as a point each.
  let redirects = 0;
  metrics?.collect(() => {
    if (redirects > 0) metrics.count('shortener.redirects', redirects);
    redirects = 0;
  });
  // Every handler (and every event it publishes) runs inside the request's context.
  if (deps.observability) observeRequests(app, deps.observability);

  app.onError((error, c) => errorResponse(error, c, deps.observability?.logger));
  app.notFound((c) => c.json(errorBody('not_found', 'no such page or link'), 404));

  app.get('/', (c) => {
    c.header('Content-Security-Policy', deps.page.contentSecurityPolicy);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(deps.page.html);
  });
  app.get('/health', (c) => c.json({ status: 'ok' }));

  const json = (body: string) =>
    new Response(body, { headers: { 'Content-Type': 'application/json' } });
  app.get('/apple-app-site-association', () => json(deps.settings().appleAppSiteAssociation));
  app.get('/.well-known/apple-app-site-association', () =>
    json(deps.settings().appleAppSiteAssociation),
  );
  app.get('/.well-known/assetlinks.json', () => json(deps.settings().assetLinks));

  const limit = limitBody({
    maxBytes: deps.maxBodyBytes ?? 8 * 1024,
    onTooLarge: () => {
      throw new ShortenerError('payload_too_large', 'request body is too large', 413);
    },
  });
  app.use('/', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const limiter = deps.rateLimiter;
    const verdict = limiter?.enabled
      ? limiter.take(deps.clientAddress?.(c) ?? 'unknown')
      : undefined;
    if (verdict && !verdict.allowed) {
      throw new ShortenerError('rate_limited', 'too many links created; try again later', 429, {
        headers: { 'Retry-After': String(verdict.retryAfterSeconds) },
      });
    }
    if (!deps.settings().apiKeys.accepts(c.req.header('x-api-key'))) {
      throw new ShortenerError('unauthorized', 'a valid x-api-key header is required', 401);
    }
    return limit(c, next);
  });

  app.openapi(createLinkRoute, async (c) => {
    const body = c.req.header('content-type')?.includes('json')
      ? c.req.valid('json')
      : c.req.valid('form');
    const { base, ownHosts } = shortDomain(c);
    const checked = checkUrl(body.url, { ownHosts });
    if (!checked.ok) throw new ShortenerError('invalid_url', checked.reason, 400);
    let slug: string | undefined;
    if (body.slug !== undefined && body.slug !== '') {
      const slugCheck = checkSlug(body.slug);
      if (!slugCheck.ok) throw new ShortenerError('invalid_slug', slugCheck.reason, 400);
      slug = slugCheck.slug;
    }
    const { link, created } = await links.shorten(checked.url, slug);
    if (created) {
      events?.publish({ type: 'link.created', code: link.code, url: link.url, at: link.createdAt });
      metrics?.count('shortener.links.created');
    }
    const payload = { code: link.code, shortUrl: `${base}/${link.code}`, url: link.url };
    return created ? c.json(payload, 201) : c.json(payload, 200);
  });

  app.openapi(linkDetailsRoute, async (c) => {
    const { code } = c.req.valid('param');
    const link = await links.get(code);
    if (!link) throw new ShortenerError('not_found', `no link with code "${code}"`, 404);
    const visits = (await stats?.visits(code)) ?? 0;
    return c.json({ ...link, shortUrl: `${shortDomain(c).base}/${code}`, visits }, 200);
  });

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'shortline',
      version: '1',
      description:
        'URL shortener with iOS Universal Links and Android App Links on the short domain.',
    },
  });
  app.openAPIRegistry.registerPath(redirectDoc);
  deps.mount?.(app);

  // The redirect is the hot path: no validator middleware, and a cache hit is one Map lookup
  // answered without awaiting anything.
  const redirect = (c: Context, code: string, url: string | undefined): Response => {
    if (url === undefined) {
      return c.json(errorBody('not_found', `no link with code "${code}"`), 404);
    }
    if (events) {
      const userAgent = requestHeader(c, 'user-agent');
      const at = new Date().toISOString();
      events.publish(
        userAgent === undefined
          ? { type: 'link.visited', code, at }
          : { type: 'link.visited', code, at, userAgent },
      );
    }
    redirects++;
    return new Response(null, {
      status: 308,
      headers: {
        Location: url,
        'Cache-Control': `public, max-age=${deps.settings().redirectMaxAge}`,
        'X-Robots-Tag': 'noindex',
      },
    });
  };
  app.get('/:code', (c): Response | Promise<Response> => {
    const code = c.req.param('code');
    if (code.length > MAX_CODE_LENGTH) return redirect(c, code, undefined);
    const hit = links.cached(code);
    if (hit !== undefined) return redirect(c, code, hit);
    return links.resolve(code).then((url) => redirect(c, code, url));
  });

  return app;
}

/**
 * The one place errors become HTTP responses. Internals never leak into a 500; they are
 * logged (with the request's correlation ids when there is a logger).
 */
function errorResponse(error: Error, c: Context, logger: Logger | undefined): Response {
  if (error instanceof ShortenerError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.json(errorBody(error.code, error.message), error.status);
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 415) {
      return c.json(
        errorBody('unsupported_media_type', 'send application/json or a form post'),
        415,
      );
    }
    if (status === 413)
      return c.json(errorBody('payload_too_large', 'request body is too large'), 413);
    if (status >= 400 && status < 500) {
      return c.json(errorBody('invalid_request', error.message || 'invalid request'), status);
    }
  }
  if (logger) logger.error({ err: error }, 'unexpected error');
  else console.error(error);
  return c.json(errorBody('internal_error', 'something went wrong on our side'), 500);
}

const createLinkRoute = createRoute({
  method: 'post',
  path: '/',
  summary: 'Shorten a URL',
  description: 'The same URL always gets the same code: 201 when created, 200 when it existed.',
  request: {
    body: {
      content: {
        'application/json': { schema: CreateLinkBody },
        'application/x-www-form-urlencoded': { schema: CreateLinkBody },
      },
    },
  },
  responses: {
    201: { description: 'created', content: { 'application/json': { schema: LinkCreated } } },
    200: {
      description: 'the URL already had this link',
      content: { 'application/json': { schema: LinkCreated } },
    },
    400: { description: 'invalid URL, slug or body', content: errorContent },
    401: { description: 'API key missing or wrong', content: errorContent },
    409: { description: 'slug taken, or the URL already has another code', content: errorContent },
    413: { description: 'body too large', content: errorContent },
    415: { description: 'unsupported content type', content: errorContent },
    429: { description: 'rate limited; see Retry-After', content: errorContent },
  },
});

const linkDetailsRoute = createRoute({
  method: 'get',
  path: '/api/links/{code}',
  summary: 'A link and its visit count',
  request: { params: CodeParam },
  responses: {
    200: { description: 'the link', content: { 'application/json': { schema: LinkDetails } } },
    404: { description: 'unknown code', content: errorContent },
  },
});

const redirectDoc = {
  method: 'get' as const,
  path: '/{code}',
  summary: 'Follow a short link',
  request: { params: CodeParam },
  responses: {
    308: { description: 'Permanent Redirect to the long URL (Location header)' },
    404: {
      description: 'unknown code',
      content: { 'application/json': { schema: ErrorResponse } },
    },
  },
};
