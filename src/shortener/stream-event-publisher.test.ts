import { describe, expect, it } from 'vitest';
import { contextFromAttributes, newContext, runWithContext } from '../kit/context/index.ts';
import type { StreamProducer } from '../kit/stream/ports.ts';
import type { NewRecord } from '../kit/stream/types.ts';
import { StreamEventPublisher } from './stream-event-publisher.ts';

/** A producer that records its calls (the port, not an AWS service). */
function recordingProducer(fail = false) {
  const calls: Array<{ stream: string; records: readonly NewRecord[] }> = [];
  const producer: StreamProducer = {
    async append(stream, records) {
      calls.push({ stream, records });
      if (fail) throw new Error('stream down');
      return records.map((_, i) => ({
        shardId: 'shardId-000000000000',
        sequenceNumber: String(i + 1),
      }));
    },
  };
  return { calls, producer };
}

describe('StreamEventPublisher', () => {
  it('sends the events of one tick in one append, each with its publisher’s context', async () => {
    const { calls, producer } = recordingProducer();
    const events = new StreamEventPublisher({ producer, stream: 'links' });
    const a = newContext();
    const b = newContext();
    runWithContext(a, () => events.publish({ type: 'link.visited', code: 'x1', at: 'now' }));
    runWithContext(b, () => events.publish({ type: 'link.visited', code: 'x2', at: 'now' }));
    expect(calls).toHaveLength(0); // publish never waits for the stream
    await events.flush();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.stream).toBe('links');
    expect(calls[0]?.records.map((r) => r.partitionKey)).toEqual(['x1', 'x2']);
    expect(contextFromAttributes(calls[0]?.records[0]?.attributes)).toEqual(a);
    expect(contextFromAttributes(calls[0]?.records[1]?.attributes)).toEqual(b);
  });

  it('counts events it could not send and never throws at the caller', async () => {
    const { producer } = recordingProducer(true);
    const errors: unknown[] = [];
    const events = new StreamEventPublisher({
      producer,
      stream: 'links',
      logger: { error: (obj) => errors.push(obj) },
    });
    events.publish({ type: 'link.created', code: 'c', url: 'https://example.com/', at: 'now' });
    await events.flush();
    expect(events.lost).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('flushes with nothing pending at once', async () => {
    const { calls, producer } = recordingProducer();
    await new StreamEventPublisher({ producer, stream: 'links' }).flush();
    expect(calls).toHaveLength(0);
  });
});
