import type { Hono } from 'hono';
import { z } from 'zod';
import { isEnvelope, sealJson } from '../kit/config/cipher.ts';
import { secretAad } from '../kit/config/wire.ts';
import { ConfigServiceError } from './errors.ts';
import {
  conflict,
  expectedVersion,
  listTag,
  readJson,
  toItem,
  versionTag,
} from './http-helpers.ts';
import { KEYS_NAMESPACE } from './ports.ts';
import { type ConfigEnv, type RouteDeps, requireAccess } from './route-deps.ts';
import { checkName } from './scopes.ts';

const PutBody = z.strictObject({
  value: z.json().optional(),
  envelope: z.unknown().optional(),
  secret: z.boolean().optional(),
  version: z.number().int().min(0).optional(),
});

/** `/config/{namespace}` and `/config/{namespace}/{key}`. */
export function registerValueRoutes(app: Hono<ConfigEnv>, deps: RouteDeps): void {
  const { store, logger } = deps;

  app.get('/config/:namespace/_audit', async (c) => {
    const param = c.req.param('namespace');
    // API key events live in the reserved `_keys` namespace, readable by admins only.
    const namespace = param === KEYS_NAMESPACE ? param : checkName('namespace', param);
    requireAccess(
      c.get('apiKey'),
      namespace === KEYS_NAMESPACE ? { kind: 'admin' } : { kind: 'read', namespace },
    );
    const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 100) || 100, 1), 1000);
    return c.json({ namespace, entries: await store.listAudit(namespace, limit) });
  });

  app.get('/config/:namespace', async (c) => {
    const namespace = checkName('namespace', c.req.param('namespace'));
    requireAccess(c.get('apiKey'), { kind: 'read', namespace });
    const entries = await store.list(namespace);
    const tag = listTag(entries);
    c.header('ETag', tag);
    c.header('Cache-Control', 'no-store');
    if (c.req.header('if-none-match') === tag) return c.body(null, 304);
    return c.json({ namespace, items: entries.map(toItem) });
  });

  app.get('/config/:namespace/:key', async (c) => {
    const namespace = checkName('namespace', c.req.param('namespace'));
    const key = checkName('key', c.req.param('key'));
    requireAccess(c.get('apiKey'), { kind: 'read', namespace });
    const entry = await store.get(namespace, key);
    if (!entry) throw new ConfigServiceError('not_found', `no value at ${namespace}/${key}`, 404);
    c.header('ETag', versionTag(entry.version));
    c.header('Cache-Control', 'no-store');
    return c.json(toItem(entry));
  });

  app.put('/config/:namespace/:key', async (c) => {
    const namespace = checkName('namespace', c.req.param('namespace'));
    const key = checkName('key', c.req.param('key'));
    const apiKey = c.get('apiKey');
    requireAccess(apiKey, { kind: 'write', namespace });
    const parsed = PutBody.safeParse(await readJson(c));
    if (!parsed.success) {
      throw new ConfigServiceError('invalid_request', z.prettifyError(parsed.error), 400);
    }
    const body = parsed.data;
    const hasValue = 'value' in body && body.value !== undefined;
    const hasEnvelope = body.envelope !== undefined;
    if (hasValue === hasEnvelope) {
      throw new ConfigServiceError('invalid_request', 'send exactly one of value or envelope', 400);
    }
    if (hasEnvelope && (body.secret === false || !isEnvelope(body.envelope))) {
      throw new ConfigServiceError('invalid_request', 'envelope must be a sealed secret', 400);
    }
    const secret = hasEnvelope || body.secret === true;
    let stored: unknown = body.envelope ?? body.value;
    if (secret && hasValue) {
      if (!deps.cipher) {
        throw new ConfigServiceError(
          'encryption_unavailable',
          'this service has no cipher; send the secret already sealed as envelope',
          503,
        );
      }
      stored = await sealJson(deps.cipher, body.value, secretAad(namespace, key));
    }
    const expected = expectedVersion(c, body.version);
    const actor = { keyId: apiKey.id, at: deps.now().toISOString() };
    const result = await store.put({ namespace, key, value: stored, secret }, expected, actor);
    if (result.status === 'conflict') throw conflict(result.current);
    const { version } = result.entry;
    logger.info({ keyId: apiKey.id, namespace, key, version, secret }, 'config.put');
    c.header('ETag', versionTag(version));
    return c.json(toItem(result.entry), version === 1 ? 201 : 200);
  });

  app.delete('/config/:namespace/:key', async (c) => {
    const namespace = checkName('namespace', c.req.param('namespace'));
    const key = checkName('key', c.req.param('key'));
    const apiKey = c.get('apiKey');
    requireAccess(apiKey, { kind: 'write', namespace });
    const query = c.req.query('version');
    const fromQuery = query === undefined ? undefined : Number(query);
    if (fromQuery !== undefined && !Number.isSafeInteger(fromQuery)) {
      throw new ConfigServiceError('invalid_request', 'version must be an integer', 400);
    }
    const expected = expectedVersion(c, fromQuery);
    const actor = { keyId: apiKey.id, at: deps.now().toISOString() };
    const result = await store.delete(namespace, key, expected, actor);
    if (result.status === 'not-found') {
      throw new ConfigServiceError('not_found', `no value at ${namespace}/${key}`, 404);
    }
    if (result.status === 'conflict') throw conflict(result.current);
    logger.info({ keyId: apiKey.id, namespace, key, version: result.version }, 'config.delete');
    return c.json({ namespace, key, version: result.version, deleted: true });
  });
}
