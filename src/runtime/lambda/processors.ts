import { NonRetryableError } from '../../kit/stream/errors.ts';
import { defineProcessor, type Processor } from '../../kit/stream/processor.ts';
import type { LinkEvent } from '../../shortener/ports.ts';

/** Where the visit counter writes. */
export interface VisitSink {
  increment(code: string, by?: number): Promise<void>;
}

/**
 * The visit counter: counts `link.visited` events per code. Policy `retry`: a failed count
 * is retried in process, then through the retry queue, never blocking the shard.
 *
 * @example
 * const processor = visitCounter(new DynamoDbLinkStats({ client, tableName }));
 */
export function visitCounter(sink: VisitSink): Processor<LinkEvent> {
  return defineProcessor<LinkEvent>({
    name: 'visit-counter',
    stream: 'links',
    policy: { kind: 'retry', retries: 2, budgetMs: 2_000, maxReceives: 3 },
    handler: async (record) => {
      const event = record.data as Partial<LinkEvent> | null;
      if (typeof event?.type !== 'string' || typeof event.code !== 'string') {
        throw new NonRetryableError('not a link event');
      }
      if (event.type === 'link.visited') await sink.increment(event.code);
    },
  });
}

/** Processors deployed on Lambda, by name. The CDK app deploys one mapping per entry. */
export const LAMBDA_PROCESSORS = {
  'visit-counter': visitCounter,
} as const satisfies Record<string, (sink: VisitSink) => Processor<LinkEvent>>;

export type LambdaProcessorName = keyof typeof LAMBDA_PROCESSORS;
