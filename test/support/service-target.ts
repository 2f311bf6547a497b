import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { loadConfig, type ServiceConfig } from '../../src/runtime/config.ts';
import { type LocalService, startLocalService } from '../../src/runtime/local/service.ts';

/** A running shortener that a test talks to only through HTTP requests. */
export interface Target {
  /** `in-process`, `http` (a real server on a random loopback port) or `remote`. */
  mode: 'in-process' | 'http' | 'remote';
  /** Send a request; redirects are never followed, so a 308 is seen as a 308. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Stop the service and remove its data (remote targets are left alone). */
  close(): Promise<void>;
}

const silent = { logLevel: 'silent' } as const;

/**
 * Start a fresh local service on a temporary data dir. `listen: false` answers requests
 * in process through the hono app; `listen: true` binds 127.0.0.1 on a random port.
 */
export async function startTarget(
  mode: 'in-process' | 'http',
  overrides: Partial<ServiceConfig> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'shortline-test-')),
): Promise<Target & { service: LocalService; dataDir: string }> {
  const config = loadConfig({
    env: {},
    overrides: { host: '127.0.0.1', port: 0, dataDir, createRateLimit: 0, ...silent, ...overrides },
  });
  const service = await startLocalService(config, { listen: mode === 'http' });
  const origin = service.url ?? 'http://localhost';
  return {
    mode,
    service,
    dataDir,
    fetch: (path, init) =>
      mode === 'http'
        ? fetch(new URL(path, origin), { redirect: 'manual', ...init })
        : Promise.resolve(service.app.request(path, init)),
    close: async () => {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function remoteTarget(baseUrl: string): Target {
  return {
    mode: 'remote',
    // Joined, not resolved: a deployed API's base URL may carry a stage path (`…/dev`).
    fetch: (path, init) =>
      fetch(`${baseUrl.replace(/\/+$/, '')}${path}`, { redirect: 'manual', ...init }),
    close: async () => {},
  };
}

/**
 * Run one acceptance suite against every way the service can be reached: in process and
 * over HTTP by default, or only the instance at TEST_BASE_URL when TEST_MODE=http (a
 * deployed stage, say).
 *
 * @example
 * describeTargets('shortener', (target) => {
 *   it('answers health', async () => expect((await target().fetch('/health')).status).toBe(200));
 * });
 */
export function describeTargets(name: string, suite: (target: () => Target) => void): void {
  const remote = process.env.TEST_MODE === 'http' ? process.env.TEST_BASE_URL : undefined;
  if (process.env.TEST_MODE === 'http' && !remote) {
    throw new Error('TEST_MODE=http needs TEST_BASE_URL=<the service URL>');
  }
  const modes = remote ? (['remote'] as const) : (['in-process', 'http'] as const);
  for (const mode of modes) {
    describe(`${name} [${mode}]`, () => {
      let current: Target | undefined;
      beforeAll(async () => {
        current = mode === 'remote' ? remoteTarget(remote as string) : await startTarget(mode);
      });
      afterAll(async () => current?.close());
      suite(() => {
        if (!current) throw new Error('target not started');
        return current;
      });
    });
  }
}

/** True when the suite runs against an instance it did not start (config unknown). */
export const isRemote = (): boolean => process.env.TEST_MODE === 'http';

/** A URL nobody else uses, so tests never depend on each other's data. */
export function uniqueUrl(path = 'page'): string {
  return `https://example.com/${path}/${crypto.randomUUID()}`;
}

/** POST a JSON body. */
export function postJson(target: Target, body: unknown, headers: Record<string, string> = {}) {
  return target.fetch('/', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
