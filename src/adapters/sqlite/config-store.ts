import type { Statement } from 'better-sqlite3';
import type {
  Actor,
  ApiKeyRecord,
  AuditEntry,
  ConfigStore,
  DeleteResult,
  ExpectedVersion,
  PutResult,
  StoredEntry,
} from '../../config-service/ports.ts';
import { KEYS_NAMESPACE } from '../../config-service/ports.ts';
import type { SqliteDatabase } from './database.ts';

interface EntryRow {
  namespace: string;
  key: string;
  version: number;
  secret: number;
  value_json: string | null;
  deleted: number;
  updated_at: string;
  updated_by: string;
}

interface AuditRow {
  at: string;
  key_id: string;
  action: AuditEntry['action'];
  namespace: string;
  key: string;
  version: number;
  secret: number;
}

interface KeyRow {
  id: string;
  hash: string;
  scopes_json: string;
  description: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
}

const toEntry = (row: EntryRow): StoredEntry => ({
  namespace: row.namespace,
  key: row.key,
  version: row.version,
  secret: row.secret === 1,
  value: JSON.parse(row.value_json ?? 'null'),
  updatedAt: row.updated_at,
  updatedBy: row.updated_by,
});

const toKey = (row: KeyRow): ApiKeyRecord => {
  const record: ApiKeyRecord = {
    id: row.id,
    hash: row.hash,
    scopes: JSON.parse(row.scopes_json) as string[],
    description: row.description,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
  if (row.revoked_at !== null) record.revokedAt = row.revoked_at;
  return record;
};

/**
 * ConfigStore on SQLite, in the same database file as the links. A delete leaves a tombstone
 * so versions keep growing across delete and re-create: an `If-Match` taken before the delete
 * can never match the new value. Each write and its audit line commit in one transaction.
 *
 * @example
 * const store = new SqliteConfigStore(openDatabase('./data/shortline.db'));
 */
export class SqliteConfigStore implements ConfigStore {
  readonly #db: SqliteDatabase;
  // Compiling a statement costs more than running these small queries: compile each once.
  readonly #statements = new Map<string, Statement<unknown[], unknown>>();

  constructor(db: SqliteDatabase) {
    this.#db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS config_entries (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        secret INTEGER NOT NULL,
        value_json TEXT,
        deleted INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        PRIMARY KEY (namespace, key)
      );
      CREATE TABLE IF NOT EXISTS config_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        action TEXT NOT NULL,
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        secret INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS config_audit_namespace ON config_audit (namespace, id);
      CREATE TABLE IF NOT EXISTS config_api_keys (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL,
        scopes_json TEXT NOT NULL,
        description TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        revoked_at TEXT
      );
    `);
  }

  async get(namespace: string, key: string): Promise<StoredEntry | undefined> {
    const row = this.#row(namespace, key);
    return row && row.deleted === 0 ? toEntry(row) : undefined;
  }

  async list(namespace: string): Promise<StoredEntry[]> {
    return this.#prepare<[string], EntryRow>(
      'SELECT * FROM config_entries WHERE namespace = ? AND deleted = 0 ORDER BY key',
    )
      .all(namespace)
      .map(toEntry);
  }

  async put(
    entry: Pick<StoredEntry, 'namespace' | 'key' | 'value' | 'secret'>,
    expected: ExpectedVersion,
    actor: Actor,
  ): Promise<PutResult> {
    // better-sqlite3 transactions are synchronous, so the read and the write cannot interleave.
    return this.#db.transaction((): PutResult => {
      const row = this.#row(entry.namespace, entry.key);
      const current = row && row.deleted === 0 ? row.version : 0;
      if (expected !== undefined && expected !== current) return { status: 'conflict', current };
      const version = (row?.version ?? 0) + 1;
      this.#prepare(
        `INSERT INTO config_entries (namespace, key, version, secret, value_json, deleted, updated_at, updated_by)
           VALUES (?, ?, ?, ?, ?, 0, ?, ?)
           ON CONFLICT (namespace, key) DO UPDATE SET version = excluded.version,
             secret = excluded.secret, value_json = excluded.value_json, deleted = 0,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ).run(
        entry.namespace,
        entry.key,
        version,
        entry.secret ? 1 : 0,
        JSON.stringify(entry.value),
        actor.at,
        actor.keyId,
      );
      this.#audit(actor, 'put', entry.namespace, entry.key, version, entry.secret);
      return {
        status: 'ok',
        entry: { ...entry, version, updatedAt: actor.at, updatedBy: actor.keyId },
      };
    })();
  }

  async delete(
    namespace: string,
    key: string,
    expected: ExpectedVersion,
    actor: Actor,
  ): Promise<DeleteResult> {
    return this.#db.transaction((): DeleteResult => {
      const row = this.#row(namespace, key);
      if (!row || row.deleted === 1) {
        return expected === undefined || expected === 0
          ? { status: 'not-found' }
          : { status: 'conflict', current: 0 };
      }
      if (expected !== undefined && expected !== row.version) {
        return { status: 'conflict', current: row.version };
      }
      this.#prepare(
        `UPDATE config_entries SET deleted = 1, value_json = NULL, updated_at = ?, updated_by = ?
           WHERE namespace = ? AND key = ?`,
      ).run(actor.at, actor.keyId, namespace, key);
      this.#audit(actor, 'delete', namespace, key, row.version, row.secret === 1);
      return { status: 'ok', version: row.version };
    })();
  }

  async listAudit(namespace: string, limit: number): Promise<AuditEntry[]> {
    return this.#prepare<[string, number], AuditRow>(
      'SELECT * FROM config_audit WHERE namespace = ? ORDER BY id DESC LIMIT ?',
    )
      .all(namespace, limit)
      .map((row) => ({
        at: row.at,
        keyId: row.key_id,
        action: row.action,
        namespace: row.namespace,
        key: row.key,
        version: row.version,
        secret: row.secret === 1,
      }));
  }

  async createApiKey(record: ApiKeyRecord): Promise<void> {
    this.#db.transaction(() => {
      this.#prepare(
        `INSERT INTO config_api_keys (id, hash, scopes_json, description, created_at, created_by, revoked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        record.id,
        record.hash,
        JSON.stringify(record.scopes),
        record.description,
        record.createdAt,
        record.createdBy,
        record.revokedAt ?? null,
      );
      const actor = { keyId: record.createdBy, at: record.createdAt };
      this.#audit(actor, 'key.create', KEYS_NAMESPACE, record.id, 0, false);
    })();
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.#prepare<[string], KeyRow>('SELECT * FROM config_api_keys WHERE id = ?').get(
      id,
    );
    return row ? toKey(row) : undefined;
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.#prepare<[], KeyRow>('SELECT * FROM config_api_keys ORDER BY created_at, id')
      .all()
      .map(toKey);
  }

  async revokeApiKey(id: string, actor: Actor): Promise<boolean> {
    return this.#db.transaction((): boolean => {
      const result = this.#prepare(
        'UPDATE config_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
      ).run(actor.at, id);
      if (result.changes === 1) this.#audit(actor, 'key.revoke', KEYS_NAMESPACE, id, 0, false);
      return (
        result.changes === 1 ||
        this.#prepare<[string], { id: string }>('SELECT id FROM config_api_keys WHERE id = ?').get(
          id,
        ) !== undefined
      );
    })();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  #prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): Statement<P, R> {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement as unknown as Statement<P, R>;
  }

  #row(namespace: string, key: string): EntryRow | undefined {
    return this.#prepare<[string, string], EntryRow>(
      'SELECT * FROM config_entries WHERE namespace = ? AND key = ?',
    ).get(namespace, key);
  }

  #audit(
    actor: Actor,
    action: AuditEntry['action'],
    namespace: string,
    key: string,
    version: number,
    secret: boolean,
  ): void {
    this.#prepare(
      `INSERT INTO config_audit (at, key_id, action, namespace, key, version, secret)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(actor.at, actor.keyId, action, namespace, key, version, secret ? 1 : 0);
  }
}
