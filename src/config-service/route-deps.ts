import type { Cipher } from '../kit/config/cipher.ts';
import { ConfigServiceError } from './errors.ts';
import type { ApiKeyRecord, ConfigStore } from './ports.ts';
import { type Access, allows } from './scopes.ts';

/** The part of a pino logger the service uses; a pino `Logger` fits. Never given a value. */
export interface ConfigLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** What {@link createConfigApp} needs. */
export interface ConfigAppDeps {
  store: ConfigStore;
  /** Seals secrets sent as plaintext. Without it, secrets must arrive already sealed. */
  cipher?: Cipher;
  logger?: ConfigLogger;
  /** Clock, injectable for tests. */
  now?: () => Date;
  /** Largest request body accepted, bytes. Default 64 KiB. */
  maxBodyBytes?: number;
}

/** The hono variables the routes see: the authenticated key. */
export type ConfigEnv = { Variables: { apiKey: ApiKeyRecord } };

/** Throw 403 unless the authenticated key allows `access`. */
export function requireAccess(key: ApiKeyRecord, access: Access): void {
  if (allows(key.scopes, access)) return;
  const what =
    access.kind === 'admin' ? 'administer keys' : `${access.kind} namespace "${access.namespace}"`;
  throw new ConfigServiceError('forbidden', `this API key may not ${what}`, 403);
}

/** Shared by the route files. */
export interface RouteDeps {
  store: ConfigStore;
  cipher?: Cipher;
  logger: ConfigLogger;
  now: () => Date;
}
