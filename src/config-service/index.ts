export type { NewApiKey } from './api-keys.ts';
export { createApiKey, parseApiKey, verifyApiKey } from './api-keys.ts';
export { createConfigApp } from './app.ts';
export type { ConfigErrorCode } from './errors.ts';
export { ConfigServiceError, errorBody } from './errors.ts';
export { toItem } from './http-helpers.ts';
export { publicKey } from './key-routes.ts';
export type {
  Actor,
  ApiKeyRecord,
  AuditAction,
  AuditEntry,
  ConfigStore,
  DeleteResult,
  ExpectedVersion,
  PutResult,
  StoredEntry,
} from './ports.ts';
export { KEYS_NAMESPACE } from './ports.ts';
export type { ConfigAppDeps, ConfigEnv, ConfigLogger } from './route-deps.ts';
export type { Access } from './scopes.ts';
export { allows, checkName, parseScopes } from './scopes.ts';
