import { describe, expect, it } from 'vitest';
import type { DeadLetters } from '../../src/kit/stream/ports.ts';
import { failedRecord } from './retry-queue.contract.ts';

/** Dead letters on a test target, empty, for the given processor names. */
export type DeadLettersFactory = (processors: string[]) => Promise<DeadLetters>;

/**
 * What every DeadLetters store must do, typed against the port only.
 *
 * @example
 * deadLettersContract('SQLite', async () => new SqliteDeadLetters(openDatabase(':memory:')));
 */
export function deadLettersContract(name: string, factory: DeadLettersFactory): void {
  describe(`DeadLetters contract: ${name}`, () => {
    it('stores, lists, gets and removes a letter by id', async () => {
      const letters = await factory(['pa']);
      const failed = failedRecord('pa', 4);
      const id = await letters.put({ ...failed, receives: 3 });
      const [listed] = await letters.list({ processor: 'pa' });
      expect(listed).toMatchObject({ ...failed, id, receives: 3 });
      expect(listed?.failedAt).toBeGreaterThan(Date.now() - 60_000);
      expect(await letters.get(id)).toMatchObject({ id, record: failed.record });
      expect(await letters.remove(id)).toBe(true);
      expect(await letters.remove(id)).toBe(false);
      expect(await letters.get(id)).toBeUndefined();
    });

    it('filters by processor, limits, counts and purges', async () => {
      const letters = await factory(['pa', 'pb']);
      for (const processor of ['pa', 'pa', 'pb'])
        await letters.put({ ...failedRecord(processor), receives: 1 });
      expect(await letters.depth()).toBe(3);
      expect(await letters.depth('pa')).toBe(2);
      expect((await letters.list({ processor: 'pb' })).map((l) => l.processor)).toEqual(['pb']);
      expect(await letters.list({ limit: 2 })).toHaveLength(2);
      expect(await letters.purge('pa')).toBe(2);
      expect(await letters.depth()).toBe(1);
      expect(await letters.purge()).toBe(1);
      expect(await letters.list()).toEqual([]);
    });
  });
}
