import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openStreamStorage } from '../../../src/adapters/sqlite/stream-storage.ts';
import {
  type CheckpointKey,
  compareSequence,
  defineProcessor,
  type FailurePolicy,
  startProcessors,
} from '../../../src/kit/stream/index.ts';
import { eventually } from '../../support/eventually.ts';
import { FAST } from './helpers.ts';

// Failures before a record succeeds; 'always' is a poison record.
const failures = fc.oneof(fc.constantFrom(0, 0, 0, 1, 2), fc.constant('always' as const));
const policies = fc.constantFrom<FailurePolicy>(
  { kind: 'skip' },
  { kind: 'halt', backoff: FAST },
  { kind: 'retry', retries: 1, budgetMs: 1_000, maxReceives: 2, backoff: FAST },
  { kind: 'retry', retries: 0, budgetMs: 1_000, maxReceives: 1, backoff: FAST },
);

describe('the engine under random success and failure schedules', () => {
  it('checkpoints never decrease, never pass an unfinished record, and nothing is lost', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(failures, { minLength: 1, maxLength: 30 }),
        policies,
        async (shards, schedule, policy) => {
          // A halted shard only moves on when its record succeeds: no poison under halt.
          const plan = schedule.map((f) => (policy.kind === 'halt' && f === 'always' ? 2 : f));
          const storage = openStreamStorage(':memory:');
          storage.log.createStream('s', { shards });
          const calls = new Map<number, number>();
          const finished = new Set<string>(); // `${shardId}/${seq}`
          const violations: string[] = [];
          const saved = new Map<string, string>();
          const positions = await storage.log.append(
            's',
            plan.map((_, i) => ({ partitionKey: `k${i % 7}`, data: i })),
          );
          const seqOf = new Map(positions.map((p, i) => [`${p.shardId}/${p.sequenceNumber}`, i]));

          const checkpoints = {
            load: (key: CheckpointKey) => storage.checkpoints.load(key),
            async save(key: CheckpointKey, seq: string) {
              const previous = saved.get(key.shardId);
              if (previous && compareSequence(seq, previous) < 0)
                violations.push(`backwards ${seq}`);
              for (const p of positions) {
                if (p.shardId !== key.shardId || compareSequence(p.sequenceNumber, seq) > 0)
                  continue;
                if (!finished.has(`${p.shardId}/${p.sequenceNumber}`))
                  violations.push(`passed ${seq}`);
              }
              saved.set(key.shardId, seq);
              await storage.checkpoints.save(key, seq);
            },
          };
          const markQueued = {
            ...storage.retryQueue,
            send: async (f: Parameters<typeof storage.retryQueue.send>[0]) => {
              await storage.retryQueue.send(f);
              finished.add(`${f.record.shardId}/${f.record.sequenceNumber}`);
            },
          };
          const markDead = {
            ...storage.deadLetters,
            put: async (l: Parameters<typeof storage.deadLetters.put>[0]) => {
              const id = await storage.deadLetters.put(l);
              finished.add(`${l.record.shardId}/${l.record.sequenceNumber}`);
              return id;
            },
          };
          // Methods of class instances do not survive a spread: bind what the engine calls.
          const retryQueue = Object.assign(markQueued, {
            receive: storage.retryQueue.receive.bind(storage.retryQueue),
            delete: storage.retryQueue.delete.bind(storage.retryQueue),
            release: storage.retryQueue.release.bind(storage.retryQueue),
            depth: storage.retryQueue.depth.bind(storage.retryQueue),
            waitForMessages: storage.retryQueue.waitForMessages.bind(storage.retryQueue),
          });
          const deadLetters = Object.assign(markDead, {
            list: storage.deadLetters.list.bind(storage.deadLetters),
            get: storage.deadLetters.get.bind(storage.deadLetters),
            remove: storage.deadLetters.remove.bind(storage.deadLetters),
            purge: storage.deadLetters.purge.bind(storage.deadLetters),
            depth: storage.deadLetters.depth.bind(storage.deadLetters),
          });

          const processor = defineProcessor<number>({
            name: 'p',
            stream: 's',
            policy,
            batchSize: 4,
            handler: (record) => {
              const n = (calls.get(record.data) ?? 0) + 1;
              calls.set(record.data, n);
              const f = plan[record.data];
              if (f === 'always' || n <= (f ?? 0)) {
                if (policy.kind === 'skip')
                  finished.add(`${record.shardId}/${record.sequenceNumber}`);
                throw new Error(`fail ${record.data} #${n}`);
              }
              finished.add(`${record.shardId}/${record.sequenceNumber}`);
            },
          });
          const running = await startProcessors([processor], {
            log: storage.log,
            checkpoints,
            retryQueue,
            deadLetters,
            stats: storage.stats,
            pollMs: 20,
          });
          try {
            await eventually(
              () => {
                for (const shardId of new Set(positions.map((p) => p.shardId))) {
                  const last = positions.filter((p) => p.shardId === shardId).at(-1);
                  expect(saved.get(shardId)).toBe(last?.sequenceNumber);
                }
              },
              { timeoutMs: 10_000, intervalMs: 5 },
            );
          } finally {
            await running.stop();
          }
          expect(violations).toEqual([]);
          // Nothing lost: every record succeeded, was skipped, queued or dead-lettered.
          for (const key of seqOf.keys()) expect(finished.has(key)).toBe(true);
          storage.close();
        },
      ),
      { numRuns: 40 },
    );
  });
});
