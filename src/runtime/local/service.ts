import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type pino from 'pino';
import { openDatabase } from '../../adapters/sqlite/database.ts';
import { SqliteLinkStore } from '../../adapters/sqlite/link-store.ts';
import { startWalCheckpointer } from '../../adapters/sqlite/wal-checkpointer.ts';
import { createObservability, type Observability } from '../../kit/http/index.ts';
import { composeShortener } from '../compose.ts';
import type { ServiceConfig } from '../config.ts';
import { resolveCodeAlphabet } from './code-alphabet.ts';
import { createLocalConfigService, startShortenerConfig } from './config-service.ts';
import { startLocalStreams } from './streams.ts';

export interface LocalService {
  /** The root hono app (the shortener, with the mounted apps), for in-process requests. */
  app: OpenAPIHono;
  /** Where the server listens, e.g. `http://127.0.0.1:3000` (undefined when not listening). */
  url: string | undefined;
  /** The public base URL short links are built on; undefined means each request's origin. */
  baseUrl: string | undefined;
  /** Stop accepting requests, finish in-flight work, close storage. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Everything `npm start` runs, in one process, on SQLite under `config.dataDir`.
 * With `listen: false` nothing binds a port (in-process tests call `app.request`).
 *
 * @example
 * const service = await startLocalService(loadConfig());
 * process.on('SIGTERM', () => service.close());
 */
export async function startLocalService(
  config: ServiceConfig,
  {
    listen = true,
    // Logs and metrics as configured by LOG_LEVEL, DEBUG_SAMPLE_RATE and METRICS_FORMAT; the
    // metrics also feed GET /metrics (Prometheus). See docs/observability.md.
    observability = createObservability({
      name: 'shortline',
      level: config.logLevel,
      prometheus: true,
    }),
    logger = observability.logger,
    // Read for the config-service dogfood settings (SHORTLINE_CONFIG_*, SHORTLINE_MASTER_KEY).
    env = process.env,
    // False leaves out the shortener's per-request context, request log lines and metrics:
    // only for measuring what they cost (`npm run bench`).
    observeRequests = true,
  }: {
    listen?: boolean;
    observeRequests?: boolean;
    logger?: pino.Logger;
    observability?: Observability;
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<LocalService> {
  const { metrics, debugSampleRate } = observability;
  mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase(join(config.dataDir, 'shortline.db'));
  // Checkpoints from a worker thread: inside a commit they stalled creates for 20 ms or more.
  const checkpointer = startWalCheckpointer(db);
  const store = new SqliteLinkStore(db);
  // Link events go to the `links` stream; the visit counter runs in a worker thread.
  const streams = await startLocalStreams({
    dataDir: config.dataDir,
    logger,
    logLevel: config.logLevel,
    metrics,
  }).catch(async (error: unknown) => {
    await checkpointer.stop();
    await store.close();
    throw error;
  });
  const configService = createLocalConfigService({ db, dataDir: config.dataDir, logger, env });
  const shortener = composeShortener({
    config,
    store,
    events: streams.events,
    stats: streams.stats,
    alphabet: resolveCodeAlphabet(config.dataDir, config.codeAlphabet),
    ...(observeRequests ? { observability: { logger, metrics, debugSampleRate } } : {}),
    connInfo: getConnInfo,
    // Served by the shortener app itself, observed like its own routes and registered before
    // its GET /:code: `GET /metrics`, and the config service at /config/… (docs/config.md).
    mount: (root) => {
      if (observability.prometheus) root.get('/metrics', observability.metricsEndpoint());
      root.route('/', configService.app);
    },
  });
  const app = shortener.app;
  const configClient = await startShortenerConfig({
    env,
    configApp: configService.app,
    cipher: configService.cipher,
    fallback: shortener.configured,
    apply: (settings) => shortener.updateSettings(settings),
    logger,
    metrics,
  });

  let server: ReturnType<typeof serve> | undefined;
  let url: string | undefined;
  if (listen) {
    try {
      server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
        const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
          resolve(s),
        );
        s.once('error', reject);
      });
    } catch (error) {
      // Port taken, say: stop the processors and close storage, or their timers keep the
      // process alive after the error is reported.
      await streams.close();
      configClient?.close();
      await checkpointer.stop();
      await store.close();
      await metrics.close();
      throw error;
    }
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    url = `http://${host}:${address.port}`;
    logger.info(
      { url, baseUrl: shortener.baseUrl ?? 'the origin of each request', dataDir: config.dataDir },
      'shortline listening',
    );
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      if (server) {
        const s = server;
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      await streams.close();
      configClient?.close();
      await checkpointer.stop();
      await store.close();
      await metrics.close();
      logger.info('shortline stopped');
    })();
    return closing;
  };
  return { app, url, baseUrl: shortener.baseUrl, close };
}
