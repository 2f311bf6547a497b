import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/runtime/config.ts';
import { startLocalService } from '../src/runtime/local/service.ts';
import { startBare, startHonoMap } from './reference-servers.ts';
import { startShortenerCore } from './shortener-core.ts';

/**
 * What to serve: the bare ceiling, hono answering from a Map (the framework's own cost, for
 * reference), or the shortener with `seed` links already made: as `npm start` runs it, or
 * without visit tracking.
 */
export type ServerSpec =
  | { kind: 'bare' }
  | { kind: 'hono-map'; seed: number }
  | {
      kind: 'shortener';
      seed: number;
      cacheSize: number;
      logLevel: string;
      /** False: the shortener alone, without the links stream and its visit counter. */
      visits: boolean;
      /** With `visits: true`: false composes the service without per-request observability. */
      observeRequests?: boolean;
    };

export interface BenchServer {
  url: string;
  /** Codes of the seeded links, most popular first (the corpus is ranked). */
  codes: string[];
  /** The server's process id (child processes only). */
  pid?: number;
  /** Wait until the server is idle; resolves to the seconds waited (child processes only). */
  settle?: () => Promise<number>;
  close(): Promise<void>;
}

/** The corpus of real domains, ranked by popularity. */
export function corpusDomains(): string[] {
  const file = new URL('../../shared/fixtures/corpus/opendns-top-domains.txt', import.meta.url);
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The service on a fresh data dir, rate limit off, seeded through its own API. */
async function startShortener(
  spec: Extract<ServerSpec, { kind: 'shortener' }>,
): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shortline-bench-'));
  const config = loadConfig({
    env: {},
    overrides: {
      host: '127.0.0.1',
      port: 0,
      dataDir,
      baseUrl: 'https://sho.rt',
      createRateLimit: 0,
      cacheSize: spec.cacheSize,
      logLevel: spec.logLevel,
    },
  });
  const service = spec.visits
    ? await startLocalService(config, { observeRequests: spec.observeRequests ?? true })
    : await startShortenerCore(config);
  const codes: string[] = [];
  for (const domain of corpusDomains().slice(0, spec.seed)) {
    const res = await service.app.request('/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `https://${domain}/` }),
    });
    const body = (await res.json()) as { code?: string };
    if (res.status !== 201 || !body.code) {
      throw new Error(`seeding ${domain} answered ${res.status}: ${JSON.stringify(body)}`);
    }
    codes.push(body.code);
  }
  return {
    url: service.url ?? '',
    codes,
    close: async () => {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Start a server to measure, in this process.
 *
 * @example
 * const server = await startBenchServer({ kind: 'bare' });
 */
export function startBenchServer(spec: ServerSpec): Promise<BenchServer> {
  if (spec.kind === 'bare') return startBare();
  if (spec.kind === 'hono-map') return startHonoMap(spec.seed);
  return startShortener(spec);
}

/**
 * Profile the CPU from now until the returned function is called, then write a .cpuprofile
 * (open it in Chrome DevTools). Started after seeding, so only the load shows in it.
 */
async function startProfile(dir: string, name: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

// Run as a child process: start, report the URL and codes over IPC, stop when told or orphaned.
if (process.send && process.argv[2]) {
  const spec = JSON.parse(process.argv[2]) as ServerSpec;
  const server = await startBenchServer(spec);
  const profileDir = process.env.BENCH_PROFILE;
  const name =
    spec.kind === 'shortener'
      ? `shortline-cache-${spec.cacheSize}${spec.visits ? '' : '-no-visits'}${spec.observeRequests === false ? '-unobserved' : ''}`
      : spec.kind;
  const stopProfile = profileDir ? await startProfile(profileDir, name) : undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await stopProfile?.();
      await server.close();
      process.exit(0);
    })();
  };
  process.on('message', (message) => message === 'stop' && stop());
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.send({ url: server.url, codes: server.codes });
}
