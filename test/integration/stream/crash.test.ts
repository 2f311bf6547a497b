import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStreamStorage } from '../../../src/adapters/sqlite/stream-storage.ts';
import { eventually } from '../../support/eventually.ts';
import { tempStorage } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const KILLS = 22;

const t = tempStorage();
const BUNDLE = join(t.dir, 'crash-child.cjs');
afterAll(() => t.cleanup());

// Bundled once, so each of the many restarts costs a plain node start, not a TypeScript compile.
beforeAll(async () => {
  await build({
    entryPoints: [CHILD],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    outfile: BUNDLE,
    logLevel: 'error',
  });
});

function spawnChild(file: string, run: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BUNDLE, file, String(run)], {
    cwd: ROOT,
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    child.stdout?.once('data', () => resolve(child));
  });
}

describe('crash safety', () => {
  it(`loses nothing when the consumer is killed with SIGKILL ${KILLS} times`, {
    timeout: 120_000,
  }, async () => {
    const file = join(t.dir, 'streams.db');
    const { storage } = t;
    storage.log.createStream('crash', { shards: 2 });
    storage.db.exec(
      'CREATE TABLE IF NOT EXISTS effects (id INTEGER PRIMARY KEY, shard TEXT, seq INTEGER, run INTEGER)',
    );
    const shards = await storage.log.shards('crash');
    let appended = 0;
    const appendMore = async (n: number) => {
      await storage.log.append(
        'crash',
        Array.from({ length: n }, (_, i) => ({
          partitionKey: `p${(appended + i) % 13}`,
          data: appended + i,
        })),
      );
      appended += n;
    };
    const checkpoints = async () =>
      Object.fromEntries(
        await Promise.all(
          shards.map(async (shardId) => [
            shardId,
            Number(
              (await storage.checkpoints.load({ processor: 'crash', stream: 'crash', shardId })) ??
                0,
            ),
          ]),
        ),
      ) as Record<string, number>;
    const effects = () =>
      storage.db
        .prepare<[], { shard: string; seq: number; run: number }>(
          'SELECT shard, seq, run FROM effects ORDER BY id',
        )
        .all();

    const startCheckpoint: Array<Record<string, number>> = [];
    let previous = await checkpoints();
    let advanced = 0;
    await appendMore(3_000);
    for (let run = 0; run < KILLS; run++) {
      startCheckpoint[run] = previous;
      const child = await spawnChild(file, run);
      child.removeAllListeners('exit');
      await appendMore(300);
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 300));
      child.kill('SIGKILL');
      await once(child, 'exit');

      const now = await checkpoints();
      const seen = new Map<string, number[]>();
      for (const e of effects()) {
        const key = `${e.shard}/${e.seq}`;
        seen.set(key, [...(seen.get(key) ?? []), e.run]);
      }
      for (const shardId of shards) {
        // Never backwards, and nothing at or below the checkpoint without its effect.
        expect(now[shardId]).toBeGreaterThanOrEqual(previous[shardId] ?? 0);
        for (let seq = 1; seq <= (now[shardId] ?? 0); seq++) {
          expect(seen.has(`${shardId}/${seq}`), `${shardId}/${seq} lost`).toBe(true);
        }
      }
      // A record handled again in a later run must be after that run's starting checkpoint.
      for (const [key, runs] of seen) {
        const [shardId, seq] = key.split('/') as [string, string];
        for (const again of runs.slice(1)) {
          expect(Number(seq), `${key} replayed in run ${again}`).toBeGreaterThan(
            startCheckpoint[again]?.[shardId] ?? 0,
          );
        }
        expect(new Set(runs).size, `${key} twice in one run`).toBe(runs.length);
      }
      if (shards.some((shardId) => (now[shardId] ?? 0) > (previous[shardId] ?? 0))) advanced++;
      previous = now;
    }
    // The kills landed while work was going on, not before the consumer started.
    expect(advanced).toBeGreaterThan(0);
    if (process.env.CRASH_DEBUG) {
      const total = effects().length;
      console.log({
        advanced,
        appended,
        effects: total,
        duplicates: total - new Set(effects().map((e) => `${e.shard}/${e.seq}`)).size,
      });
    }

    // A last run drains everything and stops gracefully: then the checkpoint is at the end.
    const child = await spawnChild(file, KILLS);
    child.removeAllListeners('exit');
    const last = Object.fromEntries(
      await Promise.all(
        shards.map(async (shardId) => [
          shardId,
          (await storage.log.read('crash', shardId, { after: '0', limit: 1_000_000 })).at(-1)
            ?.sequenceNumber,
        ]),
      ),
    );
    await eventually(
      async () => {
        const now = await checkpoints();
        for (const shardId of shards) expect(String(now[shardId])).toBe(last[shardId]);
      },
      { timeoutMs: 30_000 },
    );
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const handled = new Set(effects().map((e) => `${e.shard}/${e.seq}`));
    expect(handled.size).toBe(appended);
    const reopened = openStreamStorage(file);
    reopened.close();
  });
});
