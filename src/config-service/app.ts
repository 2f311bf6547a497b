import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { verifyApiKey } from './api-keys.ts';
import { ConfigServiceError, errorBody } from './errors.ts';
import { registerKeyRoutes } from './key-routes.ts';
import type { ConfigAppDeps, ConfigEnv, ConfigLogger } from './route-deps.ts';
import { registerValueRoutes } from './value-routes.ts';

const silent: ConfigLogger = { info() {}, warn() {} };

/**
 * The config service as a hono app with full paths (`/config/...`): mount it with
 * `app.route('/', createConfigApp(deps))` or wrap it with hono's Lambda adapter.
 *
 * @example
 * const db = openDatabase('./data/shortline.db');
 * const config = createConfigApp({ store: new SqliteConfigStore(db), cipher });
 * serve({ fetch: config.fetch, port: 8080 });
 */
export function createConfigApp(deps: ConfigAppDeps): Hono<ConfigEnv> {
  const logger = deps.logger ?? silent;
  const now = deps.now ?? (() => new Date());
  const app = new Hono<ConfigEnv>();

  app.onError((error, c) => {
    if (error instanceof ConfigServiceError) {
      return c.json(errorBody(error.code, error.message, error.details), error.status);
    }
    logger.warn({ err: { name: error.name, message: error.message } }, 'config.request.failed');
    return c.json(errorBody('internal', 'internal error'), 500);
  });
  app.notFound((c) => c.json(errorBody('not_found', 'no such route'), 404));

  app.use(
    '/config/*',
    bodyLimit({
      maxSize: deps.maxBodyBytes ?? 64 * 1024,
      onError: (c) => c.json(errorBody('payload_too_large', 'the body is too large'), 413),
    }),
  );

  app.use('/config/*', async function apiKeyAuth(c, next) {
    const presented = c.req.header('x-api-key');
    if (!presented) throw new ConfigServiceError('unauthorized', 'send an x-api-key header', 401);
    const record = await verifyApiKey(deps.store, presented);
    if (!record) {
      logger.warn({ path: c.req.path }, 'config.auth.rejected');
      throw new ConfigServiceError('unauthorized', 'the API key is not valid', 401);
    }
    c.set('apiKey', record);
    await next();
  });

  const ctx = { ...deps, logger, now };
  registerKeyRoutes(app, ctx);
  registerValueRoutes(app, ctx);
  return app;
}
