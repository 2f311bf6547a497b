import type { Processor } from '../../kit/stream/processor.ts';
import type { LinkEvent } from '../../shortener/ports.ts';
import { type VisitLedger, visitCounterProcessor } from '../../shortener/visit-counter.ts';

/**
 * Processors deployed on Lambda, by name: the same definitions the embedded runtime runs,
 * each built on its AWS ledger. The CDK app deploys one mapping per entry.
 *
 * @example
 * const processor = LAMBDA_PROCESSORS['visit-counter'](new DynamoDbLinkStats({ client, tableName }));
 */
export const LAMBDA_PROCESSORS = {
  'visit-counter': (ledger: VisitLedger) => visitCounterProcessor(ledger),
} as const satisfies Record<string, (ledger: VisitLedger) => Processor<LinkEvent>>;

export type LambdaProcessorName = keyof typeof LAMBDA_PROCESSORS;
