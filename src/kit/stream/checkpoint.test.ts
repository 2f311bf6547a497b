import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanceCheckpoint } from './checkpoint.ts';
import { compareSequence } from './types.ts';

// Sequence numbers as Kinesis makes them: increasing decimal strings, up to 56 digits.
const batch = fc
  .tuple(
    fc.bigInt({ min: 0n, max: 10n ** 55n }),
    fc.array(fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 6n }), fc.boolean()), { maxLength: 40 }),
  )
  .map(([start, steps]) => {
    let seq = start;
    const outcomes = steps.map(([gap, finished]) => {
      seq += gap;
      return { sequenceNumber: seq.toString(), finished };
    });
    return { previous: start === 0n ? undefined : start.toString(), outcomes };
  });

describe('advanceCheckpoint', () => {
  it('never moves backwards', () => {
    fc.assert(
      fc.property(batch, ({ previous, outcomes }) => {
        const next = advanceCheckpoint(previous, outcomes);
        if (previous !== undefined) {
          expect(next).toBeDefined();
          expect(compareSequence(next as string, previous)).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it('never passes an unfinished record, and stops right before the first one', () => {
    fc.assert(
      fc.property(batch, ({ previous, outcomes }) => {
        const next = advanceCheckpoint(previous, outcomes);
        const firstUnfinished = outcomes.findIndex((o) => !o.finished);
        for (const outcome of outcomes) {
          if (next !== undefined && compareSequence(outcome.sequenceNumber, next) <= 0) {
            expect(outcome.finished).toBe(true);
          }
        }
        // Maximal: everything before the first unfinished record is covered.
        const lastFinished =
          firstUnfinished === -1 ? outcomes.at(-1) : outcomes[firstUnfinished - 1];
        expect(next).toBe(lastFinished?.sequenceNumber ?? previous);
      }),
    );
  });

  it('is monotonic over a run of batches with random outcomes', () => {
    fc.assert(
      fc.property(fc.array(batch, { maxLength: 10 }), (batches) => {
        let checkpoint: string | undefined;
        for (const { outcomes } of batches) {
          const next = advanceCheckpoint(checkpoint, outcomes);
          if (checkpoint !== undefined && next !== undefined) {
            expect(compareSequence(next, checkpoint)).toBeGreaterThanOrEqual(0);
          }
          checkpoint = next;
        }
      }),
    );
  });
});

describe('compareSequence', () => {
  it('orders like BigInt, leading zeros and 56-digit numbers included', () => {
    const digits = fc.oneof(
      fc.bigInt({ min: 0n, max: 10n ** 56n }).map(String),
      fc.bigInt({ min: 0n, max: 999n }).map((n) => `00${n}`),
    );
    fc.assert(
      fc.property(digits, digits, (a, b) => {
        const expected = BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
        expect(compareSequence(a, b)).toBe(expected);
      }),
    );
  });
});
