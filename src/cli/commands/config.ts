import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ConfigItem, PutInput } from '../../kit/config/index.ts';
import { type BackendOptions, type ConfigBackend, openBackend, reveal } from './config-backend.ts';

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/** Split `namespace/key`. */
function target(path: string): [string, string] {
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) {
    throw new Error(`expected <namespace>/<key>, got "${path}"`);
  }
  return [path.slice(0, slash), path.slice(slash + 1)];
}

function version(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new Error(`--if-version must be a whole number, got "${text}"`);
  return Number(text);
}

/** A value from the command line: JSON when it parses, else the text itself. */
function parseValue(text: string, asString: boolean): unknown {
  if (asString) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const display = (item: ConfigItem) => (item.secret ? '<secret>' : JSON.stringify(item.value));

/** Run `fn` with a backend built from the global `config` options, closing it afterwards. */
function withBackend<A extends unknown[]>(
  command: Command,
  fn: (backend: ConfigBackend, options: BackendOptions, ...args: A) => Promise<void>,
) {
  return async (...args: A) => {
    const options = command.optsWithGlobals<BackendOptions>();
    const backend = await openBackend(options);
    try {
      await fn(backend, options, ...args);
    } finally {
      await backend.close();
    }
  };
}

/**
 * `shortline config …`: read and write the config service, and manage its API keys, over
 * HTTP (`--url`/`--api-key` or SHORTLINE_CONFIG_URL/SHORTLINE_API_KEY) or directly on the
 * local database file (no URL: `--data-dir`, default ./data).
 */
export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description('read and write central config values and manage config API keys')
    .option(
      '--url <url>',
      'config service URL (env SHORTLINE_CONFIG_URL); none: the local database',
    )
    .option('--api-key <key>', 'API key for --url (env SHORTLINE_API_KEY)')
    .option(
      '-d, --data-dir <dir>',
      'local data dir when no URL (env SHORTLINE_DATA_DIR, default ./data)',
    )
    .option(
      '--dynamodb-table <name>',
      'work directly on this DynamoDB config table, with your AWS credentials (env SHORTLINE_CONFIG_TABLE)',
    )
    .option(
      '--kms-key-id <id>',
      'KMS key that seals --secret values on --dynamodb-table (env SHORTLINE_CONFIG_KMS_KEY_ID)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Without a URL the commands work directly on the store as "local": on <data dir>/shortline.db,',
        'or on --dynamodb-table. That is how the first admin key is made:',
        '  shortline config keys create --scope admin',
      ].join('\n'),
    );

  const get = config
    .command('get <namespace/key>')
    .description('print a value as JSON (a secret prints as its envelope unless --reveal)')
    .option('--reveal', 'decrypt a secret here (local master key or KMS) and print it')
    .option('--json', 'print the whole item: version, secret flag, who wrote it and when');
  get.action(
    withBackend(get, async (backend, options, path: string) => {
      const [ns, key] = target(path);
      const item = await backend.get(ns, key);
      if (!item) throw new Error(`no value at ${ns}/${key}`);
      const opts = get.opts<{ reveal?: boolean; json?: boolean }>();
      if (opts.json) return out(JSON.stringify(item, null, 2));
      if (!item.secret) return out(JSON.stringify(item.value, null, 2));
      if (!opts.reveal) return out(JSON.stringify(item.envelope));
      const dataDir = options.dataDir ?? process.env.SHORTLINE_DATA_DIR ?? './data';
      out(JSON.stringify(await reveal(item, dataDir), null, 2));
    }),
  );

  const set = config
    .command('set <namespace/key> [value]')
    .description('write a value (JSON if it parses, else a string)')
    .option('--file <path>', 'read the value from a JSON file instead')
    .option('--string', 'store the value as a string even if it parses as JSON')
    .option('--secret', 'store it envelope-encrypted; it is then served only as ciphertext')
    .option('--if-version <n>', 'write only if the current version is n (0: only if absent)');
  set.action(
    withBackend(set, async (backend, _options, path: string, text: string | undefined) => {
      const [ns, key] = target(path);
      const opts = set.opts<{
        file?: string;
        string?: boolean;
        secret?: boolean;
        ifVersion?: string;
      }>();
      if ((text === undefined) === (opts.file === undefined)) {
        throw new Error('give a value or --file, not both');
      }
      const value =
        opts.file === undefined
          ? parseValue(text ?? '', opts.string === true)
          : JSON.parse(readFileSync(opts.file, 'utf8'));
      const expected = version(opts.ifVersion);
      const input: PutInput = {
        value,
        ...(opts.secret ? { secret: true } : {}),
        ...(expected === undefined ? {} : { version: expected }),
      };
      const item = await backend.put(ns, key, input);
      out(`set ${ns}/${key} version ${item.version}${item.secret ? ' (secret)' : ''}`);
    }),
  );

  const list = config
    .command('list <namespace>')
    .description('list the keys of a namespace with their versions (secrets stay hidden)')
    .option('--json', 'print the items as JSON');
  list.action(
    withBackend(list, async (backend, _options, ns: string) => {
      const items = await backend.list(ns);
      if (list.opts<{ json?: boolean }>().json) return out(JSON.stringify(items, null, 2));
      if (items.length === 0) return out(`(no values in ${ns})`);
      for (const item of items) out(`${item.key}\tv${item.version}\t${display(item)}`);
    }),
  );

  const del = config
    .command('delete <namespace/key>')
    .description('delete a value')
    .option('--if-version <n>', 'delete only if the current version is n');
  del.action(
    withBackend(del, async (backend, _options, path: string) => {
      const [ns, key] = target(path);
      const result = await backend.delete(
        ns,
        key,
        version(del.opts<{ ifVersion?: string }>().ifVersion),
      );
      out(`deleted ${ns}/${key} (was version ${result.version})`);
    }),
  );

  const audit = config
    .command('audit <namespace>')
    .description('show who changed what in a namespace, newest first (`_keys` for API keys)')
    .option('--limit <n>', 'how many entries', '50');
  audit.action(
    withBackend(audit, async (backend, _options, ns: string) => {
      const limit = Number(audit.opts<{ limit: string }>().limit);
      if (!Number.isSafeInteger(limit) || limit < 1)
        throw new Error('--limit must be a positive number');
      for (const entry of (await backend.audit(ns, limit)) as Array<Record<string, unknown>>) {
        out(
          `${entry.at}\t${entry.keyId}\t${entry.action}\t${entry.namespace}/${entry.key}\tv${entry.version}`,
        );
      }
    }),
  );

  registerKeyCommands(config);
}

function registerKeyCommands(config: Command): void {
  const keys = config.command('keys').description('create, list and revoke config API keys');

  const create = keys
    .command('create')
    .description('create an API key and print it once (it is stored only as a hash)')
    .requiredOption(
      '--scope <scope...>',
      'admin, read:<namespace>, write:<namespace> (write implies read), * for every namespace',
    )
    .option('--description <text>', 'what the key is for')
    .option('--json', 'print {id, key, scopes, …} as JSON');
  create.action(
    withBackend(create, async (backend) => {
      const opts = create.opts<{ scope: string[]; description?: string; json?: boolean }>();
      const created = await backend.createKey(opts.scope, opts.description);
      if (opts.json) return out(JSON.stringify(created, null, 2));
      out(String(created.key));
      process.stderr.write(
        `created key ${created.id} with scopes ${(created.scopes as string[]).join(' ')}; it is shown only this once\n`,
      );
    }),
  );

  const list = keys
    .command('list')
    .description('list API keys (never the keys themselves)')
    .option('--json', 'print JSON');
  list.action(
    withBackend(list, async (backend) => {
      const all = await backend.listKeys();
      if (list.opts<{ json?: boolean }>().json) return out(JSON.stringify(all, null, 2));
      for (const key of all) {
        const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
        out(`${key.id}\t${(key.scopes as string[]).join(',')}\t${state}\t${key.description}`);
      }
    }),
  );

  const revoke = keys.command('revoke <id>').description('revoke an API key at once');
  revoke.action(
    withBackend(revoke, async (backend, _options, id: string) => {
      await backend.revokeKey(id);
      out(`revoked ${id}`);
    }),
  );
}
