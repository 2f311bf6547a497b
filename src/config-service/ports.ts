/**
 * Ports owned by the config service. The SQLite and DynamoDB adapters implement ConfigStore;
 * the Cipher port lives in `src/kit/config` because the client library opens secrets too.
 */

/** One stored value. For a secret, `value` is the sealed envelope, never the plaintext. */
export interface StoredEntry {
  namespace: string;
  key: string;
  version: number;
  secret: boolean;
  value: unknown;
  updatedAt: string;
  updatedBy: string;
}

/** Who made a change and when; recorded in the audit trail with the change. */
export interface Actor {
  /** API key id, or `local` for the CLI working on the database file. */
  keyId: string;
  /** ISO-8601. */
  at: string;
}

/** What a write or delete expects to find: a version, or (0) that there is no value yet. */
export type ExpectedVersion = number | undefined;

export type PutResult =
  | { status: 'ok'; entry: StoredEntry }
  /** The stored version is not the expected one; `current` is 0 when there is no value. */
  | { status: 'conflict'; current: number };

export type DeleteResult =
  | { status: 'ok'; version: number }
  | { status: 'not-found' }
  | { status: 'conflict'; current: number };

export type AuditAction = 'put' | 'delete' | 'key.create' | 'key.revoke';

/** One line of the audit trail. Never holds a value, secret or not. */
export interface AuditEntry {
  at: string;
  keyId: string;
  action: AuditAction;
  /** For key actions, the namespace is `_keys` and the key is the API key id. */
  namespace: string;
  key: string;
  /** The version written or deleted; 0 for key actions. */
  version: number;
  secret: boolean;
}

/** An API key as stored: the secret part only as a SHA-256 hash. */
export interface ApiKeyRecord {
  /** Public id, the part of the key before the secret; shown in logs and the audit trail. */
  id: string;
  /** Hex SHA-256 of the secret part. */
  hash: string;
  scopes: string[];
  description: string;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
}

/** Audit entries for API keys use this reserved namespace (real namespaces cannot start with `_`). */
export const KEYS_NAMESPACE = '_keys';

/**
 * Storage for config values (versioned), their audit trail and API keys.
 * Writes are compare-and-set on the version, and each write or delete records an audit entry.
 *
 * @example
 * const r = await store.put({ namespace: 'shortener', key: 'max-age', value: 60, secret: false },
 *   undefined, { keyId: 'k1', at: new Date().toISOString() });
 */
export interface ConfigStore {
  get(namespace: string, key: string): Promise<StoredEntry | undefined>;
  /** Every value of a namespace, ordered by key. */
  list(namespace: string): Promise<StoredEntry[]>;
  /**
   * Write a value, version = previous + 1 (1 for a new key). With `expected` a number, the
   * write happens only if the stored version equals it (0: only if there is no value).
   * Without it, the write is unconditional (last writer wins) but still gets a fresh version.
   */
  put(
    entry: Pick<StoredEntry, 'namespace' | 'key' | 'value' | 'secret'>,
    expected: ExpectedVersion,
    actor: Actor,
  ): Promise<PutResult>;
  delete(
    namespace: string,
    key: string,
    expected: ExpectedVersion,
    actor: Actor,
  ): Promise<DeleteResult>;
  /** Audit entries for a namespace, newest first. */
  listAudit(namespace: string, limit: number): Promise<AuditEntry[]>;
  /** Store a new API key and audit it. */
  createApiKey(record: ApiKeyRecord): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Mark a key revoked (kept for the audit trail). False when there is no such key. */
  revokeApiKey(id: string, actor: Actor): Promise<boolean>;
  close(): Promise<void>;
}
