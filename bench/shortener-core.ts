import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Hono } from 'hono';
import { openDatabase } from '../src/adapters/sqlite/database.ts';
import { SqliteLinkStore } from '../src/adapters/sqlite/link-store.ts';
import { composeShortener } from '../src/runtime/compose.ts';
import type { ServiceConfig } from '../src/runtime/config.ts';
import { resolveCodeAlphabet } from '../src/runtime/local/code-alphabet.ts';

/**
 * The shortener as `startLocalService` composes it, minus the stream side (no link events, so
 * no visit counting): the same app, LinkStore, cache and node server. Measured beside the full
 * service, it shows what visit tracking costs a redirect.
 *
 * @example
 * const core = await startShortenerCore(config);
 */
export async function startShortenerCore(
  config: ServiceConfig,
): Promise<{ app: Hono; url: string; close(): Promise<void> }> {
  const db = openDatabase(join(config.dataDir, 'shortline.db'));
  const store = new SqliteLinkStore(db);
  const { app } = composeShortener({
    config,
    store,
    alphabet: resolveCodeAlphabet(config.dataDir, config.codeAlphabet),
    connInfo: getConnInfo,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    app: app as unknown as Hono,
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
