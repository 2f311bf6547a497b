// `npm run bench:stream`: the embedded stream's append throughput, end-to-end throughput and
// publish→handle latency, side by side with Redis Streams in the same run (ratios), checked
// against the goals of issue 3. Every phase is bounded in time (BENCH_SECONDS per phase).
import { loadavg } from 'node:os';
import { appendRate, drainRate, endToEndRate, latencies } from './stream-ours.ts';
import {
  type RedisPeer,
  redisAppendRate,
  redisEndToEndRate,
  redisLatencies,
  startRedis,
} from './stream-redis.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
if (!Number.isFinite(seconds) || seconds <= 0)
  throw new Error('BENCH_SECONDS: expected a positive number');
const progress = (message: string) => process.stderr.write(`bench:stream: ${message}\n`);

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
const summary = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: pct(s, 0.5), p99: pct(s, 0.99), p999: pct(s, 0.999), n: s.length };
};
const fmt = (n: number, digits = 0) =>
  Number.isNaN(n)
    ? '-'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (ours: number, theirs: number | undefined) =>
  theirs ? `${(ours / theirs).toFixed(2)}x` : '-';

const rows: string[][] = [['measure', 'shortline (SQLite)', 'Redis Streams', 'ratio']];
const goals: Array<[string, boolean, string]> = [];

const peer: RedisPeer | string = await startRedis();
const redis = typeof peer === 'string' ? undefined : peer;
if (typeof peer === 'string') progress(`${peer}: printing our figures alone`);

try {
  progress('append throughput');
  for (const batch of [100, 1]) {
    const ours = await appendRate(batch, seconds);
    const theirs = redis ? await redisAppendRate(redis, batch, seconds) : undefined;
    rows.push([
      `append, ${batch} per transaction/pipeline (records/s)`,
      fmt(ours),
      theirs ? fmt(theirs) : '-',
      ratio(ours, theirs),
    ]);
  }

  progress('end-to-end throughput');
  const e2e = await endToEndRate(seconds);
  const e2eRedis = redis ? await redisEndToEndRate(redis, seconds) : undefined;
  rows.push([
    'end to end: append+read+no-op+checkpoint (records/s)',
    fmt(e2e),
    e2eRedis ? fmt(e2eRedis) : '-',
    ratio(e2e, e2eRedis),
  ]);
  goals.push(['end to end >= 50k records/s', e2e >= 50_000, fmt(e2e)]);
  if (e2eRedis) goals.push(['end to end >= Redis Streams', e2e >= e2eRedis, ratio(e2e, e2eRedis)]);

  progress('drain: one processor, then ten, over pre-appended records');
  // Three alternating rounds, best of each: a burst of other work on this shared machine then
  // has to hit both rounds of one contender to skew the ratio.
  const total = 200_000;
  let one = 0;
  let ten = 0;
  for (let round = 0; round < 3; round++) {
    one = Math.max(one, await drainRate(1, total, seconds * 20_000));
    ten = Math.max(ten, await drainRate(10, total / 5, seconds * 20_000));
  }
  rows.push(['1 processor read→handle→checkpoint (records/s)', fmt(one), '-', '-']);
  rows.push(['10 processors, total (records/s)', fmt(ten), '-', `${(ten / one).toFixed(2)} of 1`]);
  goals.push(['one processor >= 100k records/s', one >= 100_000, fmt(one)]);
  goals.push(['10 processors total >= 0.9 of one', ten >= 0.9 * one, (ten / one).toFixed(2)]);

  for (const processors of [1, 5, 10]) {
    progress(`latency at 1,000 records/s with ${processors} processor(s)`);
    const ours = summary(await latencies(processors, 1_000, seconds));
    const theirs = redis
      ? summary(await redisLatencies(redis, processors, 1_000, seconds))
      : undefined;
    for (const key of ['p50', 'p99', 'p999'] as const) {
      // Lower is better for latency: the ratio is ours / theirs, below 1 means faster.
      rows.push([
        `latency ${key} ms, ${processors} processor(s)`,
        fmt(ours[key], 2),
        theirs ? fmt(theirs[key], 2) : '-',
        ratio(ours[key], theirs?.[key]),
      ]);
    }
    if (processors === 1)
      goals.push(['p99 <= 2 ms with 1 processor', ours.p99 <= 2, fmt(ours.p99, 2)]);
    if (processors === 10)
      goals.push(['p99 <= 5 ms with 10 processors', ours.p99 <= 5, fmt(ours.p99, 2)]);
    goals.push([
      `p99.9 <= 10 ms with ${processors} processor(s)`,
      ours.p999 <= 10,
      fmt(ours.p999, 2),
    ]);
  }
} finally {
  await redis?.stop();
}

const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
const line = (r: string[]) =>
  r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
const load = loadavg()
  .map((n) => n.toFixed(1))
  .join(' ');
process.stdout.write(`\nload average at the end: ${load} (compare figures within one run only)\n`);
process.stdout.write(
  `\n${rows.map(line).join('\n')}\n\nratio = shortline / Redis (throughput: above 1 is better; latency: below 1 is better)\n\ngoals:\n`,
);
for (const [goal, ok, value] of goals)
  process.stdout.write(`  ${ok ? 'PASS' : 'MISS'}  ${goal} (${value})\n`);
