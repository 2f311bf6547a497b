import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbConfigStore } from '../../../src/adapters/aws/config-store-dynamodb.ts';
import { createConfigTable } from '../../../src/adapters/aws/config-table.ts';
import { verifyApiKey } from '../../../src/config-service/index.ts';
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, startEmulators } from '../../support/emulators.ts';
import { type ConfigHarness, startConfigHarness } from './harness.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../bin/shortline.mjs');

let h: ConfigHarness;
beforeAll(async () => {
  h = await startConfigHarness();
});
afterAll(() => h.dispose());

/** Run `shortline config …`; never throws, returns exit code and output. */
async function shortline(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'config', ...args], {
      env: { ...process.env, SHORTLINE_CONFIG_URL: '', SHORTLINE_API_KEY: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Each run starts a Node process that compiles TypeScript on load: seconds on two busy cores.
describe('shortline config (CLI)', { timeout: 120_000 }, () => {
  it('bootstraps an admin key on the database file, then works remotely with it', async () => {
    const created = await shortline(['-d', h.dir, 'keys', 'create', '--scope', 'admin', '--json']);
    expect(created.code).toBe(0);
    const { key, id } = JSON.parse(created.stdout) as { key: string; id: string };
    expect(key).toMatch(/^slk_/);
    const remote = { SHORTLINE_CONFIG_URL: h.url, SHORTLINE_API_KEY: key };

    expect((await shortline(['set', 'cli/max-age', '120'], remote)).stdout).toBe(
      'set cli/max-age version 1\n',
    );
    expect(JSON.parse((await shortline(['get', 'cli/max-age'], remote)).stdout)).toBe(120);
    const conflict = await shortline(['set', 'cli/max-age', '5', '--if-version', '7'], remote);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/current version is 1/);
    // Flags work as well as the environment.
    const list = await shortline(['--url', h.url, '--api-key', key, 'list', 'cli']);
    expect(list.stdout).toBe('max-age\tv1\t120\n');
    expect((await shortline(['delete', 'cli/max-age'], remote)).code).toBe(0);
    expect((await shortline(['get', 'cli/max-age'], remote)).code).toBe(1);

    const audit = await shortline(['audit', 'cli'], remote);
    expect(audit.stdout).toContain(`${id}\tdelete\tcli/max-age\tv1`);
  });

  it('stores --secret values sealed and reveals them only with the master key', async () => {
    const created = await shortline([
      '-d',
      h.dir,
      'keys',
      'create',
      '--scope',
      'write:cli',
      '--json',
    ]);
    const { key } = JSON.parse(created.stdout) as { key: string };
    const remote = { SHORTLINE_CONFIG_URL: h.url, SHORTLINE_API_KEY: key };
    const secret = `pw-${randomUUID()}`;
    expect((await shortline(['set', 'cli/db-password', secret, '--secret'], remote)).code).toBe(0);
    const sealed = await shortline(['get', 'cli/db-password'], remote);
    expect(sealed.stdout).not.toContain(secret);
    expect(JSON.parse(sealed.stdout)).toMatchObject({ v: 1, kid: h.cipher.kid });
    const shown = await shortline(['-d', h.dir, 'get', 'cli/db-password', '--reveal'], remote);
    expect(JSON.parse(shown.stdout)).toBe(secret);
    expect(await h.databaseFilesContaining(secret)).toEqual([]);
  });

  it('revokes a key so the service refuses it', async () => {
    const created = await shortline([
      '-d',
      h.dir,
      'keys',
      'create',
      '--scope',
      'read:cli',
      '--json',
    ]);
    const { key, id } = JSON.parse(created.stdout) as { key: string; id: string };
    const remote = { SHORTLINE_CONFIG_URL: h.url, SHORTLINE_API_KEY: key };
    expect((await shortline(['list', 'cli'], remote)).code).toBe(0);
    expect((await shortline(['-d', h.dir, 'keys', 'revoke', id])).stdout).toBe(`revoked ${id}\n`);
    const refused = await shortline(['list', 'cli'], remote);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/API key is not valid/);
    const listed = await shortline(['-d', h.dir, 'keys', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`${id}\\tread:cli\\trevoked `));
    expect(listed.stdout).not.toContain(key);
  });

  it('bootstraps a deployment on a DynamoDB config table (dynalite here)', async () => {
    const aws = await startEmulators({ kinesis: false, sqs: false });
    try {
      const table = `shortline-test-config-${randomUUID()}`;
      await createConfigTable(aws.dynamodb, table);
      const env = {
        SHORTLINE_CONFIG_TABLE: table,
        AWS_ENDPOINT_URL_DYNAMODB: aws.endpoints.dynamodb ?? '',
        AWS_REGION: EMULATOR_REGION,
        AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      };
      const created = await shortline(['keys', 'create', '--scope', 'admin', '--json'], env);
      expect(created.code).toBe(0);
      const { key, id } = JSON.parse(created.stdout) as { key: string; id: string };
      expect((await shortline(['set', 'app/limit', '10'], env)).code).toBe(0);
      const refused = await shortline(['set', 'app/token', 'x', '--secret'], env);
      expect(refused.stderr).toMatch(/--kms-key-id/);
      const store = new DynamoDbConfigStore({ client: aws.dynamodb, tableName: table });
      expect((await verifyApiKey(store, key))?.id).toBe(id);
      expect(await store.get('app', 'limit')).toMatchObject({ value: 10, updatedBy: 'local' });
      expect(await store.get('app', 'token')).toBeUndefined();
    } finally {
      await aws.stop();
    }
  });
});
