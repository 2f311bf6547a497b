import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { AesCipher, loadOrCreateMasterKey } from '../../../src/adapters/local/aes-cipher.ts';
import { SqliteConfigStore } from '../../../src/adapters/sqlite/config-store.ts';
import { openDatabase } from '../../../src/adapters/sqlite/database.ts';
import { createApiKey, createConfigApp } from '../../../src/config-service/index.ts';
import {
  createLogger,
  type MemoryDestination,
  memoryDestination,
} from '../../../src/kit/log/index.ts';

type Server = ReturnType<typeof serve>;

/**
 * A config service on a real HTTP server (127.0.0.1, random port) over SQLite in a temp dir,
 * with an admin key. It can be stopped and started again on the same port, keeping its data.
 */
export interface ConfigHarness {
  dir: string;
  dbFile: string;
  url: string;
  port: number;
  adminKey: string;
  cipher: AesCipher;
  store: SqliteConfigStore;
  /** Every line the service logged. */
  logs: MemoryDestination;
  /**
   * The database files (main, WAL, shared memory) whose bytes contain `text`. Read in a child
   * process: closing a descriptor on the database in this process would drop SQLite's POSIX
   * locks held by the live connection, and another process could then reset the WAL under it.
   */
  databaseFilesContaining(text: string): Promise<string[]>;
  /** Make a key with these scopes; returns the key and its id. */
  key(...scopes: string[]): Promise<{ key: string; id: string }>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stop and delete the temp dir. */
  dispose(): Promise<void>;
}

async function listen(fetch: (req: Request) => Response | Promise<Response>, port: number) {
  return new Promise<Server>((resolve, reject) => {
    const server = serve({ fetch, port, hostname: '127.0.0.1' }, () => resolve(server));
    server.once('error', reject);
  });
}

export async function startConfigHarness(): Promise<ConfigHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'shortline-config-'));
  const dbFile = join(dir, 'shortline.db');
  const cipher = new AesCipher(loadOrCreateMasterKey(join(dir, 'master.key'), {}));
  const store = new SqliteConfigStore(openDatabase(dbFile));
  const logs = memoryDestination();
  const logger = createLogger({ destination: logs, level: 'debug', env: {} });
  const app = createConfigApp({ store, cipher, logger });
  const admin = await createApiKey(store, { scopes: ['admin'], createdBy: 'local' });
  let server: Server | undefined = await listen(app.fetch, 0);
  const port = (server.address() as AddressInfo).port;

  const harness: ConfigHarness = {
    dir,
    dbFile,
    url: `http://127.0.0.1:${port}`,
    port,
    adminKey: admin.key,
    cipher,
    store,
    logs,
    async databaseFilesContaining(text) {
      const script = `const fs = require('node:fs'), path = require('node:path');
        const [dir, text] = process.argv.slice(1);
        const files = fs.readdirSync(dir).filter((f) => f.startsWith('shortline.db'));
        if (!files.includes('shortline.db')) throw new Error('no database file');
        console.log(JSON.stringify(files.filter((f) => fs.readFileSync(path.join(dir, f)).includes(text))));`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, dir, text]);
      return JSON.parse(stdout) as string[];
    },
    async key(...scopes) {
      const created = await createApiKey(store, { scopes, createdBy: admin.id });
      return { key: created.key, id: created.id };
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      // Drop keep-alive connections, or close() waits for clients to hang up.
      (s as import('node:http').Server).closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      server ??= await listen(app.fetch, port);
    },
    async dispose() {
      await harness.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
