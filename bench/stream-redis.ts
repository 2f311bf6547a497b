// The peer of `npm run bench:stream`: Redis Streams (XADD, XREADGROUP, XACK) through ioredis,
// on a redis-server this script starts on a random loopback port.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { steady, waitUntil } from './stream-ours.ts';

export interface RedisPeer {
  redis: Redis;
  connect(): Redis;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Start redis-server, or undefined (with the reason) when the binary is missing. */
export async function startRedis(): Promise<RedisPeer | string> {
  if (spawnSync('redis-server', ['--version']).error)
    return 'redis-server not found (apt-get install redis-server)';
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const connect = () => {
    const conn = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 3 });
    // The server may still be starting: ioredis reconnects by itself, so the early refusals are noise.
    conn.on('error', () => {});
    return conn;
  };
  const redis = connect();
  await waitUntil(async () => (await redis.ping().catch(() => '')) === 'PONG', 5_000);
  return {
    redis,
    connect,
    async stop() {
      redis.disconnect();
      child.kill('SIGTERM');
    },
  };
}

const fields = (i: number) => ['d', JSON.stringify({ i, at: 0 })];

/** XADD rate, `batch` commands per pipeline (1 = one awaited round trip each). */
export async function redisAppendRate(
  peer: RedisPeer,
  batch: number,
  seconds: number,
): Promise<number> {
  const key = `append-${batch}`;
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    if (batch === 1) await peer.redis.xadd(key, '*', ...fields(n));
    else {
      const pipe = peer.redis.pipeline();
      for (let i = 0; i < batch; i++) pipe.xadd(key, '*', ...fields(n + i));
      await pipe.exec();
    }
    n += batch;
  }
  await peer.redis.del(key);
  return n / seconds;
}

/** One consumer group reading `key` until `stop()`; `onRecord` per entry, XACK per batch. */
function consumer(peer: RedisPeer, key: string, group: string, onRecord: (data: string) => void) {
  const conn = peer.connect();
  let stopped = false;
  const done = (async () => {
    await conn.xgroup('CREATE', key, group, '0', 'MKSTREAM').catch(() => {});
    while (!stopped) {
      const res = (await conn.xreadgroup(
        'GROUP',
        group,
        'c1',
        'COUNT',
        500,
        'BLOCK',
        100,
        'STREAMS',
        key,
        '>',
      )) as Array<[string, Array<[string, string[]]>]> | null;
      const entries = res?.[0]?.[1] ?? [];
      if (entries.length === 0) continue;
      for (const [, f] of entries) onRecord(f[1] ?? '');
      await conn.xack(key, group, ...entries.map(([id]) => id));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      conn.disconnect();
    },
  };
}

/** Pipelined XADD (100 per pipeline) while one group consumes; entries handled per second. */
export async function redisEndToEndRate(peer: RedisPeer, seconds: number): Promise<number> {
  const key = 'e2e';
  let handled = 0;
  const c = consumer(peer, key, 'g', () => {
    handled++;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  const end = started + seconds * 1000;
  let appended = 0;
  while (performance.now() < end) {
    const pipe = peer.redis.pipeline();
    for (let i = 0; i < 100; i++) pipe.xadd(key, '*', ...fields(appended + i));
    await pipe.exec();
    appended += 100;
  }
  await waitUntil(() => handled >= appended, 30_000);
  const rate = handled / ((performance.now() - started) / 1000);
  await c.stop();
  await peer.redis.del(key);
  return rate;
}

/** XADD→handler latencies (ms) at `rate`/s with `groups` consumer groups. */
export async function redisLatencies(
  peer: RedisPeer,
  groups: number,
  rate: number,
  seconds: number,
): Promise<number[]> {
  const key = `lat-${groups}`;
  const samples: number[] = [];
  const consumers = Array.from({ length: groups }, (_, g) =>
    consumer(peer, key, `g${g}`, (data) => {
      samples.push(performance.now() - (JSON.parse(data) as { at: number }).at);
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  await steady(rate, seconds, (i) => {
    void peer.redis.xadd(key, '*', 'd', JSON.stringify({ i, at: performance.now() }));
  });
  await waitUntil(() => samples.length >= groups * Math.floor(rate * seconds) * 0.99, 10_000);
  await Promise.all(consumers.map((c) => c.stop()));
  await peer.redis.del(key);
  return samples;
}
