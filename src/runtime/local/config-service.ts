import { join } from 'node:path';
import type { Hono } from 'hono';
import { AesCipher, loadOrCreateMasterKey } from '../../adapters/local/aes-cipher.ts';
import { SqliteConfigStore } from '../../adapters/sqlite/config-store.ts';
import type { SqliteDatabase } from '../../adapters/sqlite/database.ts';
import { type ConfigLogger, createConfigApp } from '../../config-service/index.ts';
import {
  ConfigClient,
  type ConfigClientLogger,
  type ConfigClientMetrics,
} from '../../kit/config/index.ts';
import { ApiKeys } from '../../shortener/api-keys.ts';
import type { ShortenerSettings } from '../../shortener/app.ts';

/**
 * The config service of the local runtime: its store lives in the same SQLite file as the
 * links, and its master key in `<dataDir>/master.key` (created on first start, mode 0600)
 * unless SHORTLINE_MASTER_KEY is set.
 *
 * @example
 * const config = createLocalConfigService({ db, dataDir: './data', logger });
 * app.route('/', config.app); // serves /config/...
 */
export function createLocalConfigService(options: {
  db: SqliteDatabase;
  dataDir: string;
  logger: ConfigLogger;
  env?: NodeJS.ProcessEnv;
}) {
  const store = new SqliteConfigStore(options.db);
  const cipher = new AesCipher(
    loadOrCreateMasterKey(join(options.dataDir, 'master.key'), options.env ?? process.env),
  );
  return { app: createConfigApp({ store, cipher, logger: options.logger }), store, cipher };
}

/** The config keys the shortener reads, in its namespace (default `shortener`). */
export const SHORTENER_CONFIG_KEYS = {
  redirectMaxAge: 'redirect-max-age',
  apiKeys: 'api-keys',
  appleAppSiteAssociation: 'apple-app-site-association',
  assetLinks: 'assetlinks',
} as const;

type Get = (key: string) => unknown;

/**
 * The shortener's settings from config values, each falling back to `fallback` (env or file)
 * when the key is absent or its value has the wrong shape (a warning says which).
 *
 * @example
 * settingsFromConfig((key) => client.get('shortener', key), initial, logger.warn);
 */
export function settingsFromConfig(
  get: Get,
  fallback: ShortenerSettings,
  warn: (key: string, expected: string) => void,
): ShortenerSettings {
  const pick = <T>(key: string, expected: string, accept: (v: unknown) => T | undefined) => {
    const value = get(key);
    if (value === undefined) return undefined;
    const accepted = accept(value);
    if (accepted === undefined) warn(key, expected);
    return accepted;
  };
  const K = SHORTENER_CONFIG_KEYS;
  const maxAge = pick(K.redirectMaxAge, 'a whole number of seconds 0..31536000', (v) =>
    Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 31_536_000
      ? (v as number)
      : undefined,
  );
  const keys = pick(K.apiKeys, 'an array of non-empty strings', (v) =>
    Array.isArray(v) && v.every((k) => typeof k === 'string' && k.length > 0)
      ? new ApiKeys(v as string[])
      : undefined,
  );
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const aasa = pick(K.appleAppSiteAssociation, 'a JSON object', (v) =>
    isObject(v) ? JSON.stringify(v) : undefined,
  );
  const assetLinks = pick(K.assetLinks, 'a JSON array', (v) =>
    Array.isArray(v) ? JSON.stringify(v) : undefined,
  );
  return {
    redirectMaxAge: maxAge ?? fallback.redirectMaxAge,
    apiKeys: keys ?? fallback.apiKeys,
    appleAppSiteAssociation: aasa ?? fallback.appleAppSiteAssociation,
    assetLinks: assetLinks ?? fallback.assetLinks,
  };
}

/**
 * Dogfood: when SHORTLINE_CONFIG_API_KEY is set, the shortener takes its redirect max-age,
 * creation API keys, AASA and assetlinks from the config service, through the caching client:
 * over HTTP when SHORTLINE_CONFIG_URL is set, else in process (same auth, no network). Values
 * are applied from the client's cache when a poll sees a change, so the redirect path never
 * waits on the config service. Returns undefined when not configured.
 */
export async function startShortenerConfig(options: {
  env: NodeJS.ProcessEnv;
  configApp: { request: Hono['request'] };
  cipher: AesCipher;
  fallback: ShortenerSettings;
  apply: (settings: ShortenerSettings) => void;
  logger: ConfigClientLogger;
  metrics?: ConfigClientMetrics;
}): Promise<ConfigClient | undefined> {
  const { env, logger } = options;
  const apiKey = env.SHORTLINE_CONFIG_API_KEY;
  if (!apiKey) return undefined;
  const namespace = env.SHORTLINE_CONFIG_NAMESPACE || 'shortener';
  const pollIntervalMs = env.SHORTLINE_CONFIG_POLL_MS
    ? Number(env.SHORTLINE_CONFIG_POLL_MS)
    : 30_000;
  const remote = env.SHORTLINE_CONFIG_URL;
  const inProcess: typeof fetch = async (input, init) =>
    options.configApp.request(input instanceof Request ? input : String(input), init);
  const client = new ConfigClient({
    url: remote || 'http://in-process',
    apiKey,
    namespaces: [namespace],
    cipher: options.cipher,
    pollIntervalMs,
    logger,
    ...(remote ? {} : { fetch: inProcess }),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const apply = () =>
    options.apply(
      settingsFromConfig(
        (key) => client.get(namespace, key),
        options.fallback,
        (key, expected) =>
          logger.warn({ namespace, key, expected }, 'config.shortener.invalid_value'),
      ),
    );
  client.onChange(apply);
  const loaded = await client.start();
  apply();
  logger.info(
    { namespace, source: remote ? remote : 'in-process', loaded, pollIntervalMs },
    'config.shortener.started',
  );
  return client;
}
