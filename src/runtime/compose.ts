import { readFileSync } from 'node:fs';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ApiKeys } from '../shortener/api-keys.ts';
import {
  createShortenerApp,
  type ShortenerObservability,
  type ShortenerSettings,
} from '../shortener/app.ts';
import {
  type AppLinksOptions,
  buildAppleAppSiteAssociation,
  buildAssetLinks,
} from '../shortener/app-links.ts';
import { CodeCodec } from '../shortener/codes.ts';
import { LinkService } from '../shortener/links.ts';
import { loadPage } from '../shortener/page.ts';
import type { LinkEventPublisher, LinkStats, LinkStore } from '../shortener/ports.ts';
import { RateLimiter } from '../shortener/rate-limit.ts';
import { ConfigError, type ServiceConfig } from './config.ts';

export interface ShortenerParts {
  config: ServiceConfig;
  store: LinkStore;
  /** A permutation of the base alphabet: the installation's code secret. */
  alphabet: string;
  events?: LinkEventPublisher;
  stats?: LinkStats;
  /**
   * The runtime's `getConnInfo` (from `@hono/node-server/conninfo` or `hono/aws-lambda`), for
   * the caller's address that rate limiting keys on.
   */
  connInfo?: (c: Context) => { remote: { address?: string | undefined } };
  /** Logger and metrics for requests, redirects, links created and the code cache. */
  observability?: ShortenerObservability;
  /** More routes, before the catch-all `GET /{code}` (see ShortenerDeps.mount). */
  mount?: (app: OpenAPIHono) => void;
}

/**
 * Build the shortener from configuration and adapters. Shared by the local server and the
 * Lambda handler, so both answer exactly the same way. Everything costly (the page, the
 * app-link documents) is computed here, once.
 *
 * @example
 * const { app } = composeShortener({ config, store, alphabet });
 */
export function composeShortener(parts: ShortenerParts) {
  const { config } = parts;
  // Unset: short URLs use each request's origin (see ShortenerDeps.baseUrl).
  const baseUrl = config.baseUrl;
  const links = new LinkService({
    store: parts.store,
    codec: new CodeCodec({ alphabet: parts.alphabet, minLength: config.codeMinLength }),
    cacheSize: config.cacheSize,
  });
  // Read the app-link files once: both documents come from the same options.
  const appLinks = appLinkOptions(config);
  /** What env, file and flags say; the config service may override it while running. */
  const configured: ShortenerSettings = {
    redirectMaxAge: config.redirectMaxAge,
    apiKeys: new ApiKeys(config.apiKeys),
    appleAppSiteAssociation: buildAppleAppSiteAssociation(appLinks),
    assetLinks: buildAssetLinks(appLinks),
  };
  let settings = configured;
  const trustProxy = config.trustProxy;
  const clientAddress = (c: Context): string | undefined => {
    if (trustProxy) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    if (!parts.connInfo) return undefined;
    try {
      return parts.connInfo(c).remote.address;
    } catch {
      // In-process requests (tests, app.request) have no connection to ask.
      return undefined;
    }
  };
  const app = createShortenerApp({
    links,
    baseUrl,
    settings: () => settings,
    page: loadPage({ requiresApiKey: config.apiKeys.length > 0 }),
    rateLimiter: new RateLimiter({ perMinute: config.createRateLimit }),
    clientAddress,
    maxBodyBytes: config.maxBodyBytes,
    ...(parts.events ? { events: parts.events } : {}),
    ...(parts.stats ? { stats: parts.stats } : {}),
    ...(parts.observability ? { observability: parts.observability } : {}),
    ...(parts.mount ? { mount: parts.mount } : {}),
  });
  if (parts.observability) recordCacheMetrics(links, parts.observability.metrics);
  return {
    app,
    links,
    baseUrl,
    /** The settings from configuration alone, the fallback when the config service has none. */
    configured,
    /** Replace some settings at run time (the config-service client calls this). */
    updateSettings(change: Partial<ShortenerSettings>): void {
      settings = { ...settings, ...change };
    },
  };
}

/**
 * The code cache's hits and misses since the last flush, read at each metrics flush rather
 * than recorded per redirect: the hot path stays one Map lookup.
 */
function recordCacheMetrics(links: LinkService, metrics: ShortenerObservability['metrics']) {
  let last = links.cache;
  metrics.collect(() => {
    const now = links.cache;
    const hits = now.hits - last.hits;
    const misses = now.misses - last.misses;
    last = now;
    if (hits > 0) metrics.count('shortener.cache.hits', hits);
    if (misses > 0) metrics.count('shortener.cache.misses', misses);
    if (hits + misses > 0) metrics.gauge('shortener.cache.hit_rate', hits / (hits + misses));
  });
}

/** The app-link options of a configuration, reading the AASA and assetlinks files it names. */
function appLinkOptions(config: ServiceConfig): AppLinksOptions {
  const options: AppLinksOptions = {
    appleAppIds: config.appleAppIds,
    applePaths: config.applePaths,
    androidFingerprints: config.androidFingerprints,
  };
  if (config.androidPackage) options.androidPackage = config.androidPackage;
  if (config.aasaFile)
    options.appleDocument = readJsonFile(config.aasaFile, 'SHORTLINE_AASA_FILE', 'object');
  if (config.assetLinksFile) {
    options.androidDocument = readJsonFile(
      config.assetLinksFile,
      'SHORTLINE_ASSETLINKS_FILE',
      'array',
    );
  }
  return options;
}

function readJsonFile(file: string, setting: string, shape: 'object' | 'array'): unknown {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${setting}: cannot read ${file} as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const ok =
    shape === 'array'
      ? Array.isArray(value)
      : typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!ok) throw new ConfigError(`${setting}: ${file} must hold a JSON ${shape}`);
  return value;
}
