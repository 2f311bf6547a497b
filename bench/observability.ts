// `npm run bench:observability`: the per-request cost of the observability kit, in process.
// The same hono redirect handler is timed bare and with the kit's layers added one at a time
// (context capture, then one log line per request, then metrics), in interleaved rounds so
// machine noise hits every variant alike. Prints µs per request and the overhead over bare.
// Logs go to /dev/null through the logger's default batching (one synchronous write per
// event-loop turn, as to stdout in production); BENCH_LOG_WRITE=line writes each line alone.
import { Hono } from 'hono';
import { pino } from 'pino';
import { contextFromHeaders, runWithContext } from '../src/kit/context/index.ts';
import { observeRequests } from '../src/kit/http/index.ts';
import { batchingDestination, createLogger } from '../src/kit/log/index.ts';
import { createMetrics, monitoringSink } from '../src/kit/metrics/index.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
if (!(seconds > 0))
  throw new Error(`BENCH_SECONDS: expected a positive number, got "${process.env.BENCH_SECONDS}"`);

const devNull =
  process.env.BENCH_LOG_WRITE === 'line'
    ? pino.destination({ dest: '/dev/null', sync: true })
    : batchingDestination('/dev/null');
const logger = createLogger({ destination: devNull, level: 'info', name: 'bench' });
const metricLines = monitoringSink((text) => devNull.write(text));
const metrics = createMetrics({ sinks: [metricLines], flushIntervalMs: 200 });

/** The redirect handler, with `observe` applied to the app (nothing: the bare handler). */
function app(observe?: (app: Hono) => void): Hono {
  const a = new Hono();
  a.get('/:code', (c) =>
    c.body(null, 308, {
      Location: `https://example.com/${c.req.param('code')}`,
      'Cache-Control': 'public, max-age=300',
    }),
  );
  observe?.(a);
  return a;
}

// Context only: what observeRequests does before any log or metric.
const contextOnly = (a: Hono) => {
  const dispatch = a.fetch;
  a.fetch = (request, env, executionCtx) =>
    runWithContext(contextFromHeaders(request.headers, { debugSampleRate: 0.01 }), () =>
      dispatch(request, env, executionCtx),
    );
};

const variants: Array<{ name: string; app: Hono; headers?: Record<string, string> }> = [
  { name: 'bare handler', app: app() },
  { name: '+ context (AsyncLocalStorage)', app: app(contextOnly) },
  { name: '+ context + request log line', app: app((a) => observeRequests(a, { logger })) },
  {
    name: '+ context + log + metrics (full)',
    app: app((a) => observeRequests(a, { logger, metrics })),
  },
  {
    name: 'full, request sampled for debug',
    app: app((a) => observeRequests(a, { logger, metrics })),
    headers: { 'debug-log-enabled': 'true' },
  },
];

const headers = { 'user-agent': 'bench/1', 'x-correlation-id': 'bench-correlation-id' };

const cpuMicros = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

interface Tally {
  n: number;
  wallNs: number;
  cpuUs: number;
}

async function round(variant: (typeof variants)[number], ms: number, tally: Tally): Promise<void> {
  const init = { headers: { ...headers, ...variant.headers } };
  const start = process.hrtime.bigint();
  const cpuStart = cpuMicros();
  const end = start + BigInt(Math.round(ms * 1e6));
  let n = 0;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 200; i++) {
      const res = await variant.app.fetch(new Request(`http://bench.local/c${n + i}`, init));
      if (res.status !== 308) throw new Error(`${variant.name}: status ${res.status}`);
    }
    n += 200;
    // Let the event loop turn, as a server's does between bursts of requests.
    await new Promise((resolve) => setImmediate(resolve));
    now = process.hrtime.bigint();
  }
  tally.n += n;
  tally.wallNs += Number(now - start);
  tally.cpuUs += cpuMicros() - cpuStart;
}

process.stderr.write(
  `bench: node ${process.version}, ${seconds}s of interleaved rounds, ${variants.length} variants\n`,
);
const warm = variants.map(() => ({ n: 0, wallNs: 0, cpuUs: 0 }));
for (const [i, v] of variants.entries()) await round(v, 200, warm[i] as Tally); // JIT, caches
const totals: Tally[] = variants.map(() => ({ n: 0, wallNs: 0, cpuUs: 0 }));
const roundMs = 100;
const rounds = Math.max(1, Math.floor((seconds * 1000) / (roundMs * variants.length)));
for (let r = 0; r < rounds; r++) {
  for (const [i, v] of variants.entries()) await round(v, roundMs, totals[i] as Tally);
}
await metrics.close();

// CPU time is the primary figure: on a shared 2-core machine wall time also counts the time
// other processes held the core.
const cpu = totals.map((t) => t.cpuUs / t.n);
const wall = totals.map((t) => t.wallNs / 1000 / t.n);
const baseCpu = cpu[0] ?? 1;
const baseWall = wall[0] ?? 1;
const col = (x: number, w = 10, d = 2) => x.toFixed(d).padStart(w);
console.log(
  `\nin-process hono app.fetch, ${rounds} interleaved rounds of ${roundMs} ms per variant\n`,
);
console.log(
  `${'variant'.padEnd(34)}${'cpu µs'.padStart(10)}${'+cpu µs'.padStart(10)}${'x bare'.padStart(10)}${'wall µs'.padStart(10)}${'+wall µs'.padStart(10)}${'requests'.padStart(10)}`,
);
for (const [i, v] of variants.entries()) {
  const c = cpu[i] ?? 0;
  const w = wall[i] ?? 0;
  console.log(
    `${v.name.padEnd(34)}${col(c)}${col(c - baseCpu)}${col(c / baseCpu)}${col(w)}${col(w - baseWall)}${String(totals[i]?.n ?? 0).padStart(10)}`,
  );
}
const full = cpu[3] ?? 0;
console.log(
  `\nobservability overhead per request (full - bare): ${(full - baseCpu).toFixed(2)} µs CPU, ${((wall[3] ?? 0) - baseWall).toFixed(2)} µs wall`,
);
