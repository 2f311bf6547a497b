import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  AesCipher,
  loadOrCreateMasterKey,
  MASTER_KEY_ENV,
} from '../../adapters/local/aes-cipher.ts';
import { SqliteConfigStore } from '../../adapters/sqlite/config-store.ts';
import { openDatabase } from '../../adapters/sqlite/database.ts';
import {
  type ConfigStore,
  checkName,
  createApiKey,
  parseScopes,
  publicKey,
  toItem,
} from '../../config-service/index.ts';
import {
  type Cipher,
  type ConfigItem,
  ConfigServiceClient,
  isEnvelope,
  openJson,
  type PutInput,
  sealJson,
  secretAad,
} from '../../kit/config/index.ts';

/** What the `config` commands do, over HTTP or directly on the local database file. */
export interface ConfigBackend {
  where: string;
  get(namespace: string, key: string): Promise<ConfigItem | undefined>;
  list(namespace: string): Promise<ConfigItem[]>;
  put(namespace: string, key: string, input: PutInput): Promise<ConfigItem>;
  delete(namespace: string, key: string, version?: number): Promise<{ version: number }>;
  audit(namespace: string, limit: number): Promise<unknown[]>;
  createKey(scopes: string[], description?: string): Promise<Record<string, unknown>>;
  listKeys(): Promise<Array<Record<string, unknown>>>;
  revokeKey(id: string): Promise<void>;
  close(): Promise<void>;
}

export interface BackendOptions {
  url?: string;
  apiKey?: string;
  dataDir?: string;
  dynamodbTable?: string;
  kmsKeyId?: string;
}

/**
 * Remote when a URL is given (flag or SHORTLINE_CONFIG_URL); else directly on a DynamoDB
 * config table when one is named (how the first admin key of a deployment is made); else
 * on the local database file.
 */
export async function openBackend(
  options: BackendOptions,
  env = process.env,
): Promise<ConfigBackend> {
  const url = options.url ?? env.SHORTLINE_CONFIG_URL;
  if (url) {
    const apiKey = options.apiKey ?? env.SHORTLINE_API_KEY;
    if (!apiKey) throw new Error('give --api-key or SHORTLINE_API_KEY to use a remote service');
    const client = new ConfigServiceClient({ url, apiKey });
    return {
      where: url,
      get: (ns, key) => client.get(ns, key),
      list: async (ns) => (await client.list(ns)).list?.items ?? [],
      put: (ns, key, input) => client.put(ns, key, input),
      delete: (ns, key, version) => client.delete(ns, key, version),
      audit: (ns, limit) => client.audit(ns, limit),
      createKey: (scopes, description) => client.createKey(scopes, description),
      listKeys: () => client.listKeys(),
      revokeKey: (id) => client.revokeKey(id),
      close: async () => {},
    };
  }
  const table = options.dynamodbTable ?? env.SHORTLINE_CONFIG_TABLE;
  if (table) {
    // Loaded only here: the AWS SDK adds to every CLI start otherwise.
    const [{ DynamoDBClient }, { DynamoDbConfigStore }] = await Promise.all([
      import('@aws-sdk/client-dynamodb'),
      import('../../adapters/aws/config-store-dynamodb.ts'),
    ]);
    const store = new DynamoDbConfigStore({
      client: new DynamoDBClient({}),
      tableName: table,
      ownsClient: true,
    });
    const keyId = options.kmsKeyId ?? env.SHORTLINE_CONFIG_KMS_KEY_ID;
    return new StoreBackend(store, `DynamoDB table ${table}`, async () => {
      if (!keyId) throw new Error('give --kms-key-id or SHORTLINE_CONFIG_KMS_KEY_ID to seal');
      const [{ KMSClient }, { KmsCipher }] = await Promise.all([
        import('@aws-sdk/client-kms'),
        import('../../adapters/aws/kms-cipher.ts'),
      ]);
      return new KmsCipher({ client: new KMSClient({}), keyId });
    });
  }
  const dataDir = options.dataDir ?? env.SHORTLINE_DATA_DIR ?? './data';
  const file = join(dataDir, 'shortline.db');
  return new StoreBackend(
    new SqliteConfigStore(openDatabase(file)),
    file,
    async () => new AesCipher(loadOrCreateMasterKey(join(dataDir, 'master.key'), env)),
  );
}

/**
 * The CLI acting on the store itself, as `local`: whoever can write the database file or the
 * table controls the service anyway, so no API key is asked for. Changes are audited as `local`.
 */
class StoreBackend implements ConfigBackend {
  readonly where: string;
  readonly #store: ConfigStore;
  readonly #sealer: () => Promise<Cipher>;
  readonly #actor = () => ({ keyId: 'local', at: new Date().toISOString() });

  constructor(store: ConfigStore, where: string, sealer: () => Promise<Cipher>) {
    this.#store = store;
    this.where = where;
    this.#sealer = sealer;
  }

  async get(ns: string, key: string) {
    const entry = await this.#store.get(checkName('namespace', ns), checkName('key', key));
    return entry ? toItem(entry) : undefined;
  }

  async list(ns: string) {
    return (await this.#store.list(checkName('namespace', ns))).map(toItem);
  }

  async put(ns: string, key: string, input: PutInput) {
    checkName('namespace', ns);
    checkName('key', key);
    let value: unknown;
    let secret = false;
    if ('envelope' in input) [value, secret] = [input.envelope, true];
    else if (input.secret) {
      const cipher = await this.#sealer();
      [value, secret] = [await sealJson(cipher, input.value, secretAad(ns, key)), true];
    } else value = input.value;
    const result = await this.#store.put(
      { namespace: ns, key, value, secret },
      input.version,
      this.#actor(),
    );
    if (result.status === 'conflict')
      throw new Error(`version conflict: the current version is ${result.current}`);
    return toItem(result.entry);
  }

  async delete(ns: string, key: string, version?: number) {
    const result = await this.#store.delete(ns, key, version, this.#actor());
    if (result.status === 'not-found') throw new Error(`no value at ${ns}/${key}`);
    if (result.status === 'conflict')
      throw new Error(`version conflict: the current version is ${result.current}`);
    return { version: result.version };
  }

  async audit(ns: string, limit: number) {
    return this.#store.listAudit(ns, limit);
  }

  async createKey(scopes: string[], description?: string) {
    const created = await createApiKey(this.#store, {
      scopes: parseScopes(scopes),
      createdBy: 'local',
      ...(description === undefined ? {} : { description }),
    });
    return { ...publicKey(created.record), key: created.key };
  }

  async listKeys() {
    return (await this.#store.listApiKeys()).map(publicKey);
  }

  async revokeKey(id: string) {
    if (!(await this.#store.revokeApiKey(id, this.#actor()))) throw new Error(`no API key "${id}"`);
  }

  async close() {
    await this.#store.close();
  }
}

/**
 * Open a secret for `--reveal`: a `local:` envelope with the local master key
 * (SHORTLINE_MASTER_KEY or <data dir>/master.key, which must already exist), anything else
 * with KMS (the AWS SDK's usual credentials and region).
 */
export async function reveal(
  item: ConfigItem,
  dataDir: string,
  env = process.env,
): Promise<unknown> {
  if (!isEnvelope(item.envelope))
    throw new Error(`${item.namespace}/${item.key} is not a sealed secret`);
  let cipher: Cipher;
  if (item.envelope.kid.startsWith('local:')) {
    const file = join(dataDir, 'master.key');
    if (!env[MASTER_KEY_ENV] && !existsSync(file)) {
      throw new Error(`no master key: set ${MASTER_KEY_ENV} or run where ${file} exists`);
    }
    cipher = new AesCipher(loadOrCreateMasterKey(file, env));
  } else {
    // Loaded only here: the AWS SDK adds to every CLI start otherwise.
    const [{ KMSClient }, { KmsCipher }] = await Promise.all([
      import('@aws-sdk/client-kms'),
      import('../../adapters/aws/kms-cipher.ts'),
    ]);
    cipher = new KmsCipher({ client: new KMSClient({}) });
  }
  return openJson(cipher, item.envelope, secretAad(item.namespace, item.key));
}
