import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, ConfigStore } from './ports.ts';
import { parseScopes } from './scopes.ts';

const PREFIX = 'slk_';
const ID_LENGTH = 16;
// Compared against when the id is unknown, so a miss costs the same as a wrong secret.
const DUMMY_HASH = createHash('sha256').update('no such key').digest();

const hash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

/** A freshly made API key: `key` is shown to the user once and stored only as a hash. */
export interface NewApiKey {
  id: string;
  key: string;
  record: ApiKeyRecord;
}

/**
 * Make and store an API key `slk_<16 hex id>_<43 chars of 256-bit secret>`. The secret has
 * 256 bits of entropy, so a plain SHA-256 is enough: there is nothing to brute-force.
 *
 * @example
 * const { key } = await createApiKey(store, { scopes: ['read:shortener'], createdBy: 'local' });
 */
export async function createApiKey(
  store: ConfigStore,
  options: { scopes: readonly string[]; description?: string; createdBy: string; now?: Date },
): Promise<NewApiKey> {
  const scopes = parseScopes(options.scopes);
  const id = randomBytes(ID_LENGTH / 2).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const record: ApiKeyRecord = {
    id,
    hash: hash(secret).toString('hex'),
    scopes,
    description: options.description ?? '',
    createdAt: (options.now ?? new Date()).toISOString(),
    createdBy: options.createdBy,
  };
  await store.createApiKey(record);
  return { id, key: `${PREFIX}${id}_${secret}`, record };
}

/** Split a presented key into id and secret, or undefined when it has not the right shape. */
export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  if (!key.startsWith(PREFIX) || key.charAt(PREFIX.length + ID_LENGTH) !== '_') return undefined;
  const id = key.slice(PREFIX.length, PREFIX.length + ID_LENGTH);
  const secret = key.slice(PREFIX.length + ID_LENGTH + 1);
  if (!/^[0-9a-f]+$/.test(id) || secret.length < 32 || secret.length > 128) return undefined;
  return { id, secret };
}

/**
 * The stored record for a presented key, or undefined when it is malformed, unknown, wrong
 * or revoked. The hash comparison is constant-time.
 *
 * @example
 * const record = await verifyApiKey(store, c.req.header('x-api-key') ?? '');
 */
export async function verifyApiKey(
  store: ConfigStore,
  presented: string,
): Promise<ApiKeyRecord | undefined> {
  const parsed = parseApiKey(presented);
  if (!parsed) return undefined;
  const record = await store.getApiKey(parsed.id);
  const expected = record ? Buffer.from(record.hash, 'hex') : DUMMY_HASH;
  const actual = hash(parsed.secret);
  const match = expected.length === actual.length && timingSafeEqual(expected, actual);
  if (!record || !match || record.revokedAt !== undefined) return undefined;
  return record;
}
