// `npm run bench`: redirect and create throughput and latency of the shortener over loopback,
// side by side with a bare node:http server (the ceiling on this machine), printed as ratios.
// Not a test: it prints figures and checks them against the goals of issues 2, 3 and 4.
// Docs: docs/benchmark.md.
import { cpus } from 'node:os';
import { hotMix, type Isolation, type LoadSpec, runLoad, spawnServer } from './load.ts';
import { type BenchServer, corpusDomains, type ServerSpec } from './server.ts';
import { envNumber } from './settings.ts';
import { type Entry, printSummary, type Row } from './summary.ts';

const env = process.env;
const isolation = (env.BENCH_ISOLATION ?? 'process') as Isolation;
if (isolation !== 'process' && isolation !== 'inline') {
  throw new Error(`BENCH_ISOLATION: expected "process" or "inline", got "${isolation}"`);
}
const only = env.BENCH_ONLY ?? 'all';
if (!['all', 'redirect', 'create'].includes(only)) {
  throw new Error(`BENCH_ONLY: expected "redirect" or "create", got "${only}"`);
}
const settings = {
  duration: envNumber('BENCH_DURATION', 12, 1),
  rounds: Math.round(envNumber('BENCH_ROUNDS', 6, 1)),
  warmup: envNumber('BENCH_WARMUP', 2),
  connections: Math.round(envNumber('BENCH_CONNECTIONS', 50, 1)),
  links: Math.round(envNumber('BENCH_LINKS', 1000, 1)),
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
 * shared machine from landing on one contender only; the order is shuffled every round so no
 * contender always follows the same one; and after every turn the server is left to finish its
 * own background work before the next contender starts.
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
    await c.server.settle?.();
  }
  const results = new Map<Contender, Entry>(
    contenders.map((c) => [c, { name: `${group}  ${c.name}`, rounds: [], settleSeconds: [] }]),
  );
  for (let round = 0; round < settings.rounds; round++) {
    for (const c of shuffled(contenders, round)) {
      progress(
        `${group} round ${round + 1}/${settings.rounds}: ${c.name}, ${perRound.toFixed(1)}s`,
      );
      const entry = results.get(c) as Entry;
      entry.rounds.push(await runLoad({ ...shape(c), duration: perRound }));
      const waited = await c.server.settle?.();
      if (waited !== undefined) entry.settleSeconds.push(waited);
    }
  }
  return contenders.map((c) => results.get(c) as Entry);
}

/** A fixed-seed shuffle (the same orders every run); round 0 keeps the planned order. */
function shuffled<T>(items: T[], round: number): T[] {
  const out = [...items];
  let state = round * 2_654_435_761;
  for (let i = out.length - 1; i > 0 && round > 0; i--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
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

const shortener = (cacheSize: number, visits: boolean): ServerSpec => ({
  kind: 'shortener',
  seed: settings.links,
  cacheSize,
  visits,
  // The default level, as `npm start` runs; the child's stdout goes nowhere.
  logLevel: 'info',
});

/** One server to measure; the first of a group is the ceiling the others are compared to. */
interface Plan {
  name: string;
  spec: ServerSpec;
  /** The row the goals are checked on. */
  goal?: Row['goal'];
}

/** Start every planned server, measure them in turns, and rate each against the first. */
async function group(
  title: string,
  plans: Plan[],
  loadFor: (server: BenchServer, all: BenchServer[]) => Load,
): Promise<Row[]> {
  return withServers(
    plans.map((plan) => plan.spec),
    async (servers) => {
      const contenders = plans.map((plan, i) => {
        const server = servers[i] as BenchServer;
        return { name: plan.name, server, load: loadFor(server, servers) };
      });
      const [ceiling, ...rest] = (await measureInTurns(title, contenders)) as [Entry, ...Entry[]];
      return [
        ceiling,
        ...rest.map((entry, i) => {
          const goal = plans[i + 1]?.goal;
          return goal ? { ...entry, ceiling, goal } : { ...entry, ceiling };
        }),
      ];
    },
  );
}

/**
 * Redirects of a Zipf popularity mix over the seeded codes. Each server gets the mix over its
 * own codes (each data dir has its own code alphabet); the bare server, which ignores the path,
 * gets the first shortener's.
 */
function redirects(): Promise<Row[]> {
  progress(`starting servers, seeding ${settings.links} links from the corpus in each shortener`);
  return group(
    'redirect',
    [
      { name: 'bare node:http (ceiling)', spec: { kind: 'bare' } },
      { name: 'reference: hono + Map', spec: { kind: 'hono-map', seed: settings.links } },
      { name: 'shortline as npm start runs it', spec: shortener(10_000, true), goal: 'redirect' },
      {
        name: 'npm start, request observability off',
        spec: { ...shortener(10_000, true), observeRequests: false } as ServerSpec,
        goal: 'unobserved',
      },
      {
        name: 'shortline, visit tracking off',
        spec: shortener(10_000, false),
        goal: 'core-redirect',
      },
      { name: 'shortline, visits off, cache off', spec: shortener(0, false) },
    ],
    (server, all) => {
      const codes = server.codes.length ? server.codes : (all[2]?.codes ?? []);
      const paths = hotMix(codes, 1 << 16);
      return {
        method: 'GET',
        next: (n) => ({ path: paths[n % paths.length] ?? '/' }),
        expectStatus: 308,
      };
    },
  );
}

/** Creates of distinct URLs from the corpus, never repeated across rounds or servers. */
function creates(): Promise<Row[]> {
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
  return group(
    'create  ',
    [
      { name: 'bare node:http (ceiling)', spec: { kind: 'bare' } },
      { name: 'shortline as npm start runs it', spec: shortener(10_000, true), goal: 'create' },
      { name: 'shortline, link events off', spec: shortener(10_000, false), goal: 'core-create' },
    ],
    () => load,
  );
}

progress(
  `node ${process.version}, ${cpus().length} cores, servers ${settings.isolation === 'process' ? 'each in a child process' : 'inline, sharing the event loop with autocannon'}`,
);
const rows: Row[] = [];
if (only !== 'create') rows.push(...(await redirects()));
if (only !== 'redirect') rows.push(...(await creates()));
const met = printSummary(rows, settings);
if (env.BENCH_STRICT === '1' && !met) process.exitCode = 1;
