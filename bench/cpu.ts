// `npm run bench:cpu`: CPU time per request of each thread of one server, at a fixed rate
// below saturation. Under saturation the threads of the server and autocannon compete for the
// cores and throughput mixes every cost together; at a fixed rate each thread's CPU per
// request shows what a change saves, and where (the request thread, the stream worker, the
// GC helpers). Linux only (/proc). Docs: docs/benchmark.md.
import { readdirSync } from 'node:fs';
import { hotMix, procCpuTicks, runLoad, spawnServer } from './load.ts';
import { corpusDomains, type ServerSpec } from './server.ts';
import { envNumber } from './settings.ts';

const env = process.env;
const VARIANTS = {
  'npm-start': { visits: true, observeRequests: true },
  unobserved: { visits: true, observeRequests: false },
  shortener: { visits: false, observeRequests: false },
} as const;
const variant = (env.BENCH_VARIANT ?? 'npm-start') as keyof typeof VARIANTS;
if (!(variant in VARIANTS)) {
  throw new Error(`BENCH_VARIANT: expected one of ${Object.keys(VARIANTS).join(', ')}`);
}
const only = env.BENCH_ONLY ?? 'redirect';
if (only !== 'redirect' && only !== 'create') {
  throw new Error(`BENCH_ONLY: expected "redirect" or "create", got "${only}"`);
}
const rate = envNumber('BENCH_RATE', only === 'create' ? 500 : 2_500, 1);
const rounds = Math.round(envNumber('BENCH_ROUNDS', 3, 1));
const duration = envNumber('BENCH_DURATION', 6, 1);

if (!readdirSync('/proc').includes('self')) throw new Error('bench:cpu reads /proc: Linux only');

/** User and system CPU of each thread of `pid`, in µs. */
function threadCpu(pid: number): Map<number, { user: number; system: number }> {
  const tickUs = 10_000; // USER_HZ 100
  const out = new Map<number, { user: number; system: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    // Undefined when the thread ended between the listing and the read.
    const ticks = procCpuTicks(`/proc/${pid}/task/${tid}/stat`);
    if (ticks) out.set(Number(tid), { user: ticks.user * tickUs, system: ticks.system * tickUs });
  }
  return out;
}

const spec: ServerSpec = {
  kind: 'shortener',
  seed: 1_000,
  cacheSize: 10_000,
  logLevel: 'info',
  visits: VARIANTS[variant].visits,
  observeRequests: VARIANTS[variant].observeRequests,
};
process.stderr.write(`bench:cpu: ${variant}, ${only} at ${rate}/s, ${rounds} x ${duration}s\n`);
const server = await spawnServer(spec, { isolation: 'process' });
const pid = server.pid;
if (pid === undefined) throw new Error('bench:cpu needs the server in a child process');
const paths = hotMix(server.codes, 1 << 16);
const domains = corpusDomains();
const run = Date.now().toString(36);
let created = 0;
const load = {
  url: server.url,
  connections: 50,
  rate,
  ...(only === 'create'
    ? {
        method: 'POST' as const,
        // A fresh URL every time, across rounds too: a repeated one answers 200, not 201.
        next: () => {
          const n = created++;
          const url = `https://${domains[n % domains.length]}/cpu/${run}/${n}`;
          return { path: '/', body: JSON.stringify({ url }) };
        },
        expectStatus: 201,
      }
    : {
        method: 'GET' as const,
        next: (n: number) => ({ path: paths[n % paths.length] ?? '/' }),
        expectStatus: 308,
      }),
};

try {
  await runLoad({ ...load, duration: 3 });
  console.log('round  req/s  wrong  main thread µs/req (of it system)  other threads µs/req');
  for (let round = 1; round <= rounds; round++) {
    await server.settle?.();
    const before = threadCpu(pid);
    const result = await runLoad({ ...load, duration });
    // Count the work the load left behind (a worker catching up) in this round too.
    await server.settle?.();
    const after = threadCpu(pid);
    const per = (tid: number) => {
      const a = after.get(tid);
      const b = before.get(tid) ?? { user: 0, system: 0 };
      if (!a) return { total: 0, system: 0 };
      return {
        total: (a.user + a.system - b.user - b.system) / result.total,
        system: (a.system - b.system) / result.total,
      };
    };
    const main = per(pid);
    const others = [...after.keys()]
      .filter((tid) => tid !== pid)
      .map((tid) => per(tid).total)
      .filter((us) => us >= 3)
      .sort((a, b) => b - a);
    console.log(
      [
        String(round).padStart(5),
        result.requestsPerSecond.toFixed(0).padStart(6),
        String(result.wrong).padStart(6),
        `${main.total.toFixed(0)} (${main.system.toFixed(0)})`.padStart(33),
        `  ${others.map((us) => us.toFixed(0)).join(' ')}`,
      ].join(' '),
    );
  }
} finally {
  await server.close();
}
