// `npm run bench`: redirect and create throughput and latency of the shortener over loopback,
// side by side with a bare node:http server (the ceiling on this machine), printed as ratios.
// Not a test: it prints figures and checks them against the goals of issue 2. Docs: docs/benchmark.md.
import { cpus } from 'node:os';
import {
  hotMix,
  type Isolation,
  type LoadResult,
  type LoadSpec,
  runLoad,
  spawnServer,
} from './load.ts';
import { type BenchServer, corpusDomains, type ServerSpec } from './server.ts';
import { type Entry, printSummary, type Row } from './summary.ts';

const env = process.env;
const number = (name: string, fallback: number, min = 0): number => {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) {
    throw new Error(`${name}: expected a number >= ${min}, got "${value}"`);
  }
  return parsed;
};
const isolation = (env.BENCH_ISOLATION ?? 'process') as Isolation;
if (isolation !== 'process' && isolation !== 'inline') {
  throw new Error(`BENCH_ISOLATION: expected "process" or "inline", got "${isolation}"`);
}
const only = env.BENCH_ONLY ?? 'all';
if (!['all', 'redirect', 'create'].includes(only)) {
  throw new Error(`BENCH_ONLY: expected "redirect" or "create", got "${only}"`);
}
const settings = {
  duration: number('BENCH_DURATION', 12, 1),
  rounds: Math.round(number('BENCH_ROUNDS', 6, 1)),
  warmup: number('BENCH_WARMUP', 2),
  connections: Math.round(number('BENCH_CONNECTIONS', 50, 1)),
  links: Math.round(number('BENCH_LINKS', 1000, 1)),
  isolation,
};

type Load = Omit<LoadSpec, 'duration' | 'connections' | 'url'>;
interface Contender {
  name: string;
  server: BenchServer;
  load: Load;
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/**
 * Measure contenders in turns: after a warm-up each, `rounds` rounds in which every contender
 * runs for its share of the duration. Interleaving keeps a burst of background load on this
 * shared machine from landing on one contender only, so the ratios stay fair.
 */
async function measureInTurns(group: string, contenders: Contender[]): Promise<Entry[]> {
  const perRound = settings.duration / settings.rounds;
  const shape = (c: Contender) => ({
    ...c.load,
    url: c.server.url,
    connections: settings.connections,
  });
  for (const c of contenders) {
    if (settings.warmup > 0) await runLoad({ ...shape(c), duration: settings.warmup });
  }
  const results = new Map<Contender, LoadResult[]>(contenders.map((c) => [c, []]));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const c of contenders) {
      progress(`${group} round ${round}/${settings.rounds}: ${c.name}, ${perRound.toFixed(1)}s`);
      results.get(c)?.push(await runLoad({ ...shape(c), duration: perRound }));
    }
  }
  return contenders.map((c) => ({ name: `${group}  ${c.name}`, rounds: results.get(c) ?? [] }));
}

async function withServers<T>(specs: ServerSpec[], use: (servers: BenchServer[]) => Promise<T>) {
  const servers: BenchServer[] = [];
  try {
    for (const spec of specs) servers.push(await spawnServer(spec, settings));
    return await use(servers);
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}

const shortener = (cacheSize: number): ServerSpec => ({
  kind: 'shortener',
  seed: settings.links,
  cacheSize,
  // The default level, as `npm start` runs; the child's stdout goes nowhere.
  logLevel: 'info',
});

const redirectsTo = (paths: string[]): Load => ({
  method: 'GET',
  next: (n) => ({ path: paths[n % paths.length] ?? '/' }),
  expectStatus: 308,
});

/** Redirects of a popularity mix of seeded codes: ceiling, hono + Map, cached, cache off (SQLite). */
async function redirects(): Promise<Row[]> {
  progress(`starting servers, seeding ${settings.links} links from the corpus in each shortener`);
  return withServers(
    [{ kind: 'bare' }, { kind: 'hono-map', seed: settings.links }, shortener(10_000), shortener(0)],
    async ([bare, honoMap, cached, uncached]) => {
      if (!bare || !honoMap || !cached || !uncached) throw new Error('servers did not start');
      // Each data dir has its own code alphabet, so the codes differ; ranks and mix are the same.
      const paths = hotMix(cached.codes, 1 << 16);
      const entries = await measureInTurns('redirect', [
        { name: 'bare node:http (ceiling)', server: bare, load: redirectsTo(paths) },
        {
          name: 'reference: hono + Map',
          server: honoMap,
          load: redirectsTo(hotMix(honoMap.codes, 1 << 16)),
        },
        { name: 'shortline, hot codes cached', server: cached, load: redirectsTo(paths) },
        {
          name: 'shortline, cache off (SQLite)',
          server: uncached,
          load: redirectsTo(hotMix(uncached.codes, 1 << 16)),
        },
      ]);
      const [ceiling, ...rest] = entries as [Entry, ...Entry[]];
      return [{ ...ceiling }, ...rest.map((entry) => ({ ...entry, ceiling }))];
    },
  );
}

/** Creates of distinct URLs from the corpus, never repeated across rounds or servers. */
async function creates(): Promise<Row[]> {
  const domains = corpusDomains();
  const run = Date.now().toString(36);
  let sequence = 0;
  const load: Load = {
    method: 'POST',
    next: () => {
      const n = sequence++;
      const url = `https://${domains[n % domains.length]}/bench/${run}/${n}`;
      return { path: '/', body: JSON.stringify({ url }) };
    },
    expectStatus: 201,
  };
  return withServers([{ kind: 'bare' }, shortener(10_000)], async ([bare, real]) => {
    if (!bare || !real) throw new Error('servers did not start');
    const [ceiling, subject] = (await measureInTurns('create  ', [
      { name: 'bare node:http (ceiling)', server: bare, load },
      { name: 'shortline, distinct URLs', server: real, load },
    ])) as [Entry, Entry];
    return [ceiling, { ...subject, ceiling }];
  });
}

progress(
  `node ${process.version}, ${cpus().length} cores, servers ${settings.isolation === 'process' ? 'each in a child process' : 'inline, sharing the event loop with autocannon'}`,
);
const rows: Row[] = [];
if (only !== 'create') rows.push(...(await redirects()));
if (only !== 'redirect') rows.push(...(await creates()));
const met = printSummary(rows, settings);
if (env.BENCH_STRICT === '1' && !met) process.exitCode = 1;
