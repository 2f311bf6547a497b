import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FailedRecord, RetryQueue } from '../../src/kit/stream/ports.ts';
import { eventually } from '../support/eventually.ts';

/** A queue on a test target with a processor name no other test uses. */
export type RetryQueueFactory = () => Promise<{ queue: RetryQueue; processor: string }>;

export function failedRecord(processor: string, attempts = 3): FailedRecord {
  return {
    processor,
    record: {
      stream: 'links',
      shardId: 'shardId-000000000000',
      sequenceNumber: String(Date.now()),
      partitionKey: randomUUID(),
      data: { type: 'link.visited', code: 'abc' },
      attributes: { 'shortline-context': '{"x-correlation-id":"c-1"}' },
      arrivedAt: Date.now(),
    },
    error: { name: 'Error', message: 'boom' },
    attempts,
  };
}

const receiveOne = (queue: RetryQueue, processor: string, visibilityMs = 60_000) =>
  eventually(async () => {
    const messages = await queue.receive(processor, { max: 10, visibilityMs });
    expect(messages).toHaveLength(1);
    return messages[0] as NonNullable<(typeof messages)[0]>;
  });

/**
 * What every RetryQueue must do (SQS semantics), typed against the port only.
 *
 * @example
 * retryQueueContract('SQLite', async () => ({ queue: new SqliteRetryQueue(db), processor: 'p' }));
 */
export function retryQueueContract(name: string, factory: RetryQueueFactory): void {
  describe(`RetryQueue contract: ${name}`, () => {
    it('delivers what was sent, counting the receive, and hides it while in flight', async () => {
      const { queue, processor } = await factory();
      const sent = failedRecord(processor);
      await queue.send(sent);
      expect(await queue.depth(processor)).toBe(1);
      const message = await receiveOne(queue, processor);
      expect(message).toMatchObject({ ...sent, receives: 1 });
      expect(message.enqueuedAt).toBeGreaterThan(Date.now() - 60_000);
      expect(await queue.receive(processor, { max: 10, visibilityMs: 60_000 })).toEqual([]);
      expect(await queue.depth(processor)).toBe(1);
    });

    it('forgets a deleted message', async () => {
      const { queue, processor } = await factory();
      await queue.send(failedRecord(processor));
      const message = await receiveOne(queue, processor);
      await queue.delete(processor, message.receipt);
      expect(await queue.depth(processor)).toBe(0);
    });

    it('redelivers a released message with the latest failure and the receive count growing', async () => {
      const { queue, processor } = await factory();
      await queue.send(failedRecord(processor, 3));
      const first = await receiveOne(queue, processor);
      await queue.release(processor, first.receipt, {
        error: { name: 'Error', message: 'second failure' },
        attempts: 4,
        delayMs: 0,
      });
      const second = await receiveOne(queue, processor);
      expect(second).toMatchObject({
        receives: 2,
        attempts: 4,
        error: { message: 'second failure' },
      });
      expect(second.record).toEqual(first.record);
      await queue.delete(processor, second.receipt);
      expect(await queue.depth(processor)).toBe(0);
    });

    it('keeps processors apart', async () => {
      const a = await factory();
      const b = await factory();
      await a.queue.send(failedRecord(a.processor));
      expect(await b.queue.receive(b.processor, { max: 10, visibilityMs: 1000 })).toEqual([]);
      expect(await b.queue.depth(b.processor)).toBe(0);
    });
  });
}
