import { afterAll, describe, expect, it } from 'vitest';
import {
  defineProcessor,
  processorStatus,
  startProcessors,
} from '../../../src/kit/stream/index.ts';
import { eventually } from '../../support/eventually.ts';
import { tempStorage } from './helpers.ts';

const t = tempStorage();
afterAll(() => t.cleanup());

describe('many processors on one stream', () => {
  it('a processor sleeping 1 s per record does not hold the others back', async () => {
    const { storage } = t;
    storage.log.createStream('events', { shards: 2 });
    const counts = { slow: 0, fast1: 0, fast2: 0 };
    const make = (name: keyof typeof counts, sleepMs: number) =>
      defineProcessor({
        name,
        stream: 'events',
        policy: { kind: 'skip' },
        handler: async (_record, ctx) => {
          if (sleepMs > 0) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, sleepMs);
              ctx.signal.addEventListener('abort', () => {
                clearTimeout(timer);
                resolve();
              });
            });
          }
          counts[name]++;
        },
      });
    const running = await startProcessors(
      [make('slow', 1_000), make('fast1', 0), make('fast2', 0)],
      {
        ...storage,
        pollMs: 100,
      },
    );
    const lags: Record<string, number> = { slow: 0, fast1: 0, fast2: 0 };
    const sample = async () => {
      for (const row of await processorStatus(storage)) {
        lags[row.processor] = Math.max(lags[row.processor] ?? 0, row.lagMs);
      }
    };
    try {
      // 30 records over about 3 s, sampling lag as we go.
      for (let i = 0; i < 30; i++) {
        await storage.log.append('events', [{ partitionKey: `k${i}`, data: i }]);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await sample();
      }
      await eventually(() => expect([counts.fast1, counts.fast2]).toEqual([30, 30]));
      await sample();
      expect(lags.slow).toBeGreaterThan(1_000); // the measurement does see a lagging processor
      expect(lags.fast1).toBeLessThan(1_000);
      expect(lags.fast2).toBeLessThan(1_000);
      expect(counts.slow).toBeLessThan(30);
    } finally {
      await running.stop();
    }
  });
});
