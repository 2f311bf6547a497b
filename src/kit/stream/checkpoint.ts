/**
 * The checkpoint rule as a pure function.
 */
import { compareSequence } from './types.ts';

/** The state of one record of a batch. */
export interface RecordOutcome {
  sequenceNumber: string;
  /** True when it succeeded, was skipped, or was durably queued or dead-lettered. */
  finished: boolean;
}

/**
 * The new checkpoint: the highest sequence number at or below which every record is finished.
 * `outcomes` are the records read after `previous`, in sequence order. The result never moves
 * backwards and never passes an unfinished record.
 *
 * @example
 * advanceCheckpoint('10', [{ sequenceNumber: '11', finished: true }, { sequenceNumber: '12', finished: false }]); // '11'
 */
export function advanceCheckpoint(
  previous: string | undefined,
  outcomes: readonly RecordOutcome[],
): string | undefined {
  let checkpoint = previous;
  for (const outcome of outcomes) {
    if (!outcome.finished) break;
    if (checkpoint === undefined || compareSequence(outcome.sequenceNumber, checkpoint) > 0) {
      checkpoint = outcome.sequenceNumber;
    }
  }
  return checkpoint;
}
