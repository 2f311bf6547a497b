import { describe, expect, it } from 'vitest';
import { InvalidProcessorError } from './errors.ts';
import { defineProcessor, type ProcessorOptions } from './processor.ts';

const handler = () => {};

describe('defineProcessor', () => {
  it('requires a failure policy', () => {
    const options = { name: 'p', stream: 's', handler } as unknown as ProcessorOptions<unknown>;
    expect(() => defineProcessor(options)).toThrow(InvalidProcessorError);
  });

  it('rejects unknown keys, in the options and in the policy', () => {
    expect(() =>
      defineProcessor({
        name: 'p',
        stream: 's',
        policy: { kind: 'skip' },
        handler,
        extra: 1,
      } as never),
    ).toThrow(/extra|Unrecognized/);
    expect(() =>
      defineProcessor({
        name: 'p',
        stream: 's',
        policy: { kind: 'retry', attempts: 2 } as never,
        handler,
      }),
    ).toThrow(InvalidProcessorError);
  });

  it('fills in the documented defaults', () => {
    const retry = defineProcessor({ name: 'p', stream: 's', policy: { kind: 'retry' }, handler });
    expect(retry.policy).toMatchObject({ retries: 2, budgetMs: 5_000, maxReceives: 3 });
    expect(retry.batchSize).toBe(500);
    const halt = defineProcessor({ name: 'p', stream: 's', policy: { kind: 'halt' }, handler });
    expect(halt.policy).toMatchObject({ maxRecordAgeMs: 86_400_000 });
  });
});
