import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import {
  isRemote,
  postJson,
  startTarget,
  type Target,
  uniqueUrl,
} from '../support/service-target.ts';

// These start their own instance with particular settings, so they cannot run against a
// deployment whose settings are unknown.
if (isRemote())
  console.log('local-service tests skipped: TEST_MODE=http targets a running instance');

const fixtures = join(import.meta.dirname, '../../../shared/fixtures/app-links');

describe.skipIf(isRemote())('the local service', () => {
  const started: Target[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((t) => t.close()));
  });
  const start = async (...args: Parameters<typeof startTarget>) => {
    const target = await startTarget(...args);
    started.push(target);
    return target;
  };

  it('keeps links across a restart on the same data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shortline-restart-'));
    try {
      const first = await startTarget('http', {}, dataDir);
      const url = uniqueUrl();
      const { code } = await (await postJson(first, { url })).json();
      await first.service.close();
      const second = await start('http', {}, dataDir);
      const redirect = await second.fetch(`/${code}`);
      expect(redirect.status).toBe(308);
      expect(redirect.headers.get('location')).toBe(url);
      // The counter continues: a new link after the restart gets a different code.
      const next = await (await postJson(second, { url: uniqueUrl() })).json();
      expect(next.code).not.toBe(code);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('requires a valid x-api-key for creation when keys are configured', async () => {
    const target = await start('in-process', {
      apiKeys: ['key-one-0123456789', 'key-two-0123456789'],
    });
    const url = uniqueUrl();
    const none = await postJson(target, { url });
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('unauthorized');
    expect((await postJson(target, { url }, { 'x-api-key': 'key-one-012345678' })).status).toBe(
      401,
    );
    expect((await postJson(target, { url }, { 'x-api-key': 'key-two-0123456789' })).status).toBe(
      201,
    );
    // Redirects stay open to everyone.
    const page = await (await target.fetch('/')).text();
    expect(page).toContain('data-requires-key="true"');
  });

  it('rate-limits creation per client with 429 and Retry-After', async () => {
    const target = await start('http', { createRateLimit: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await postJson(target, { url: uniqueUrl() })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limited = await postJson(target, { url: uniqueUrl() });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await limited.json()).error.code).toBe('rate_limited');
    // Redirects are not limited.
    expect((await target.fetch('/health')).status).toBe(200);
  });

  it('serves configured app-link documents and max-age', async () => {
    const target = await start('in-process', {
      aasaFile: join(fixtures, 'aasa-mozilla-components.json'),
      assetLinksFile: join(fixtures, 'assetlinks-bluesky.json'),
      redirectMaxAge: 42,
    });
    const aasa = await (await target.fetch('/.well-known/apple-app-site-association')).json();
    expect(aasa.applinks.details[0].appID).toContain('43AQ936H96.org.mozilla.ios.Firefox');
    const links = await (await target.fetch('/.well-known/assetlinks.json')).json();
    expect(links[0].target.package_name).toBe('xyz.blueskyweb.app');
    const { code } = await (await postJson(target, { url: uniqueUrl() })).json();
    expect((await target.fetch(`/${code}`)).headers.get('cache-control')).toBe(
      'public, max-age=42',
    );
  });

  it('builds the AASA from app IDs', async () => {
    const target = await start('in-process', { appleAppIds: ['ABCDE12345.com.example.app'] });
    const aasa = await (await target.fetch('/apple-app-site-association')).json();
    expect(aasa.applinks.details[0]).toMatchObject({
      appIDs: ['ABCDE12345.com.example.app'],
      components: [{ '/': '/*' }],
    });
  });
});

describe.skipIf(isRemote())('shortline start', () => {
  const cli = join(import.meta.dirname, '../../bin/shortline.mjs');

  it('refuses bad configuration with a message naming each bad value and exits non-zero', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shortline-cli-'));
    const configFile = join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ redirectMaxAge: -1, colour: 'blue' }));
    const result = await run(cli, ['start', '--config', configFile], {
      PORT: 'eighty',
      SHORTLINE_CREATE_RATE_LIMIT: '-5',
      SHORTLINE_DATA_DIR: dataDir,
    });
    rmSync(dataDir, { recursive: true, force: true });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('SHORTLINE_CREATE_RATE_LIMIT');
    expect(result.stderr).toContain('colour');
  });

  it('serves on a port and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shortline-cli-'));
    const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--data-dir', dataDir], {
      env: { ...process.env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    try {
      const url = await eventually(
        () => {
          const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
          if (!match?.[1]) throw new Error(`not listening yet: ${out}`);
          return match[1];
        },
        { timeoutMs: 20_000 },
      );
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out).toContain('shortline stopped');
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('prints help', async () => {
    const result = await run(cli, ['--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('start');
  });
});

function run(cli: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
