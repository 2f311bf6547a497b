import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { type BenchServer, type ServerSpec, startBenchServer } from './server.ts';

/** Where the server under test runs relative to autocannon, the load generator. */
export type Isolation = 'process' | 'inline';

/**
 * Start a server to measure. `process` (the default) forks it, so the server and the load
 * generator each have an event loop and a core of their own, as a real client and server do;
 * `inline` runs it in this process, sharing one event loop with autocannon (kept to show how
 * much that distorts the figures). With `BENCH_PROFILE=<dir>` in the environment, the child
 * writes a CPU profile of the measured part there (see server.ts).
 */
export async function spawnServer(
  spec: ServerSpec,
  { isolation }: { isolation: Isolation },
): Promise<BenchServer> {
  if (isolation === 'inline') return startBenchServer(spec);
  const child = fork(new URL('./server.ts', import.meta.url), [JSON.stringify(spec)], {
    execArgv: ['--import', 'tsx'],
    // The service's own log lines would otherwise compete with the bench output.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string; codes: string[] }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { url: string; codes: string[] }));
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
  });
  const pid = child.pid;
  return {
    ...ready,
    ...(pid === undefined ? {} : { pid, settle: () => settle(pid) }),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
    },
  };
}

/**
 * User and system CPU time so far, in clock ticks (1/100 s on Linux), from a /proc `stat` file
 * (`/proc/<pid>/stat`, or `/proc/<pid>/task/<tid>/stat` for one thread); undefined without it.
 */
export function procCpuTicks(statFile: string): { user: number; system: number } | undefined {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are 12th and 13th.
    const stat = readFileSync(statFile, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]), system: Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** CPU time of a process so far, in clock ticks; undefined without /proc. */
function cpuTicks(pid: number): number | undefined {
  const ticks = procCpuTicks(`/proc/${pid}/stat`);
  return ticks && ticks.user + ticks.system;
}

/**
 * Wait until a server is quiet: under 10% of a core in two quarter-seconds in a row (a poller
 * working through a backlog in short bursts must not pass for idle), or 30 s at most.
 * A server may keep working after its load stops (the visit counter catching up with the
 * redirects it was sent), and that work must not land on the next contender. Returns the
 * seconds waited, itself a figure worth reading: how far behind the server had fallen.
 */
export async function settle(pid: number): Promise<number> {
  const started = performance.now();
  const windowMs = 250;
  let before = cpuTicks(pid);
  let quiet = 0;
  while (before !== undefined && quiet < 2 && performance.now() - started < 30_000) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = cpuTicks(pid);
    if (after === undefined) break;
    quiet = after - before <= 2 ? quiet + 1 : 0;
    before = after;
  }
  return (performance.now() - started) / 1000;
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  method: 'GET' | 'POST';
  /** The path (and body) of the n-th request; the same load is sent to every server. */
  next: (n: number) => { path: string; body?: string };
  /** The status every answer should have; anything else is counted as wrong. */
  expectStatus: number;
  /** Requests per second over all connections; unset, as fast as the server answers. */
  rate?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  /**
   * Share of one core the load generator (this process) used. Near 1, autocannon itself was
   * the limit, and ratios to the ceiling understate how much faster the ceiling could go.
   */
  generatorCpu: number;
  p50: number;
  p99: number;
  total: number;
  /** Answers with another status than expected, plus connection errors and timeouts. */
  wrong: number;
}

/**
 * Drive a server with autocannon for `duration` seconds and summarise the run.
 *
 * @example
 * const r = await runLoad({ url, connections: 50, duration: 10, method: 'GET', next: () => ({ path: '/x' }), expectStatus: 308 });
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let n = 0;
  const setupRequest = (request: { path?: string; body?: string | Buffer }) => {
    const { path, body } = spec.next(n++);
    request.path = path;
    if (body !== undefined) request.body = body;
    return request;
  };
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    method: spec.method,
    headers: spec.method === 'POST' ? { 'content-type': 'application/json' } : {},
    requests: [{ setupRequest }],
    ...(spec.rate === undefined ? {} : { overallRate: spec.rate }),
  });
  const cpu = process.cpuUsage(cpuBefore);
  let total = 0;
  let expected = 0;
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    total += Number(count);
    if (Number(status) === spec.expectStatus) expected += Number(count);
  }
  return {
    requestsPerSecond: total / result.duration,
    generatorCpu: (cpu.user + cpu.system) / 1e6 / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total,
    wrong: total - expected + result.errors + result.timeouts,
  };
}

/**
 * A Zipf-like popularity mix (weight 1/rank): a few codes take most of the traffic, as short
 * links in a campaign do. Returns `size` paths drawn from `codes`, most popular first in rank.
 */
export function hotMix(codes: readonly string[], size: number, seed = 42): string[] {
  const weights = codes.map((_, rank) => 1 / (rank + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const weight of weights) {
    sum += weight / total;
    cumulative.push(sum);
  }
  // A small deterministic generator (mulberry32), so every run sends the same sequence.
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const paths: string[] = [];
  for (let i = 0; i < size; i++) {
    const r = random();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 1) < r) lo = mid + 1;
      else hi = mid;
    }
    paths.push(`/${codes[lo]}`);
  }
  return paths;
}
