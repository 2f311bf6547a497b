// `npm run bench:observability`: the per-request cost of the observability kit, in process.
// The same hono redirect handler is timed bare and with the kit's layers added one at a time
// (context capture, then one log line per request, then metrics), in interleaved rounds so
// machine noise hits every variant alike. Prints µs per request and the overhead over bare.
// Logs go to /dev/null through a real synchronous file write, as to stdout in production.
import { Hono, type MiddlewareHandler } from 'hono';
import { pino } from 'pino';
import { contextFromHeaders, runWithContext } from '../src/kit/context/index.ts';
import { observeRequests } from '../src/kit/http/index.ts';
import { createLogger } from '../src/kit/log/index.ts';
import { createMetrics, monitoringSink } from '../src/kit/metrics/index.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
if (!(seconds > 0))
  throw new Error(`BENCH_SECONDS: expected a positive number, got "${process.env.BENCH_SECONDS}"`);

const devNull = pino.destination({ dest: '/dev/null', sync: true });
const logger = createLogger({ destination: devNull, level: 'info', name: 'bench' });
const metricLines = monitoringSink((text) => devNull.write(text));
const metrics = createMetrics({ sinks: [metricLines], flushIntervalMs: 200 });

function app(middleware?: MiddlewareHandler): Hono {
  const a = new Hono();
  if (middleware) a.use('*', middleware);
  a.get('/:code', (c) =>
    c.body(null, 308, {
      Location: `https://example.com/${c.req.param('code')}`,
      'Cache-Control': 'public, max-age=300',
    }),
  );
  return a;
}

// Context only: what observeRequests does before any log or metric.
const contextOnly: MiddlewareHandler = (c, next) =>
  runWithContext(contextFromHeaders(c.req.raw.headers, { debugSampleRate: 0.01 }), next);

const variants: Array<{ name: string; app: Hono; headers?: Record<string, string> }> = [
  { name: 'bare handler', app: app() },
  { name: '+ context (AsyncLocalStorage)', app: app(contextOnly) },
  { name: '+ context + request log line', app: app(observeRequests({ logger })) },
  { name: '+ context + log + metrics (full)', app: app(observeRequests({ logger, metrics })) },
  {
    name: 'full, request sampled for debug',
    app: app(observeRequests({ logger, metrics })),
    headers: { 'debug-log-enabled': 'true' },
  },
];

const headers = { 'user-agent': 'bench/1', 'x-correlation-id': 'bench-correlation-id' };

async function round(
  variant: (typeof variants)[number],
  ms: number,
): Promise<{ n: number; ns: bigint }> {
  const init = { headers: { ...headers, ...variant.headers } };
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(ms * 1e6));
  let n = 0;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 200; i++) {
      const res = await variant.app.fetch(new Request(`http://bench.local/c${n + i}`, init));
      if (res.status !== 308) throw new Error(`${variant.name}: status ${res.status}`);
    }
    n += 200;
    now = process.hrtime.bigint();
  }
  return { n, ns: now - start };
}

process.stderr.write(
  `bench: node ${process.version}, ${seconds}s of interleaved rounds, ${variants.length} variants\n`,
);
for (const v of variants) await round(v, 150); // warm-up: JIT, caches
const totals = variants.map(() => ({ n: 0, ns: 0n }));
const roundMs = 100;
const rounds = Math.max(1, Math.floor((seconds * 1000) / (roundMs * variants.length)));
for (let r = 0; r < rounds; r++) {
  for (const [i, v] of variants.entries()) {
    const { n, ns } = await round(v, roundMs);
    const t = totals[i];
    if (t) {
      t.n += n;
      t.ns += ns;
    }
  }
}
await metrics.close();

const us = totals.map((t) => Number(t.ns) / 1000 / t.n);
const base = us[0] ?? 1;
const pad = (s: string, n: number) => s.padEnd(n);
const num = (x: number, w: number, d = 2) => x.toFixed(d).padStart(w);
console.log(
  `\nin-process hono app.fetch, ${rounds} interleaved rounds of ${roundMs} ms per variant\n`,
);
console.log(
  `${pad('variant', 36)}${'µs/req'.padStart(9)}${'+µs'.padStart(9)}${'x bare'.padStart(9)}${'requests'.padStart(11)}`,
);
for (const [i, v] of variants.entries()) {
  const t = us[i] ?? 0;
  console.log(
    `${pad(v.name, 36)}${num(t, 9)}${num(t - base, 9)}${num(t / base, 9)}${String(totals[i]?.n ?? 0).padStart(11)}`,
  );
}
const full = us[3] ?? 0;
console.log(`\nobservability overhead per request (full - bare): ${(full - base).toFixed(2)} µs`);
