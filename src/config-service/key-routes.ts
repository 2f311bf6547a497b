import type { Hono } from 'hono';
import { z } from 'zod';
import { createApiKey } from './api-keys.ts';
import { ConfigServiceError } from './errors.ts';
import { readJson } from './http-helpers.ts';
import type { ApiKeyRecord } from './ports.ts';
import { type ConfigEnv, type RouteDeps, requireAccess } from './route-deps.ts';

const CreateKey = z.strictObject({
  scopes: z.array(z.string()).min(1),
  description: z.string().max(200).optional(),
});

/** A key as listed: everything but the hash. */
export function publicKey(record: ApiKeyRecord) {
  const { hash: _hash, ...rest } = record;
  return rest;
}

/** `/config/_keys`: create, list and revoke API keys (scope `admin`). */
export function registerKeyRoutes(app: Hono<ConfigEnv>, deps: RouteDeps): void {
  app.post('/config/_keys', async (c) => {
    const admin = c.get('apiKey');
    requireAccess(admin, { kind: 'admin' });
    const parsed = CreateKey.safeParse(await readJson(c));
    if (!parsed.success) {
      throw new ConfigServiceError('invalid_request', z.prettifyError(parsed.error), 400);
    }
    const created = await createApiKey(deps.store, {
      scopes: parsed.data.scopes,
      createdBy: admin.id,
      now: deps.now(),
      ...(parsed.data.description === undefined ? {} : { description: parsed.data.description }),
    });
    deps.logger.info({ keyId: admin.id, created: created.id }, 'config.key.created');
    return c.json({ ...publicKey(created.record), key: created.key }, 201);
  });

  app.get('/config/_keys', async (c) => {
    requireAccess(c.get('apiKey'), { kind: 'admin' });
    return c.json({ keys: (await deps.store.listApiKeys()).map(publicKey) });
  });

  app.delete('/config/_keys/:id', async (c) => {
    const admin = c.get('apiKey');
    requireAccess(admin, { kind: 'admin' });
    const id = c.req.param('id');
    const found = await deps.store.revokeApiKey(id, {
      keyId: admin.id,
      at: deps.now().toISOString(),
    });
    if (!found) throw new ConfigServiceError('not_found', `no API key "${id}"`, 404);
    deps.logger.info({ keyId: admin.id, revoked: id }, 'config.key.revoked');
    return c.json({ id, revoked: true });
  });
}
