/**
 * The processor definition. The failure policy is a required field, so anyone reading a
 * processor sees what it does with a record that keeps failing.
 */
import { z } from 'zod';
import { InvalidProcessorError } from './errors.ts';
import type { StreamLogger } from './logger.ts';
import { type Backoff, DEFAULT_BACKOFF } from './retry-timing.ts';
import type { StreamRecord } from './types.ts';

/** `halt`: a failing record blocks its shard; the batch is retried with backoff. */
export interface HaltPolicy {
  kind: 'halt';
  /** Give up on a record older than this (it goes to dead letters). Default 24 h. */
  maxRecordAgeMs?: number;
  backoff?: Backoff;
}

/** `skip`: a failure is logged and counted, then the record is dropped. */
export interface SkipPolicy {
  kind: 'skip';
}

/**
 * `retry`: retry in process within a time budget, then put the record on the retry queue;
 * the retry worker tries again, and after `maxReceives` deliveries it goes to dead letters.
 */
export interface RetryPolicy {
  kind: 'retry';
  /** In-process retries after the first attempt. Default 2. */
  retries?: number;
  /** Time budget for the first attempt and its in-process retries, ms. Default 5000. */
  budgetMs?: number;
  /** Retry-queue deliveries before dead letters. Default 3. */
  maxReceives?: number;
  backoff?: Backoff;
  /** Return false for errors that retrying cannot fix (as throwing NonRetryableError). */
  shouldRetry?: (error: unknown) => boolean;
}

export type FailurePolicy = HaltPolicy | SkipPolicy | RetryPolicy;

/** What a handler gets besides the record. */
export interface HandlerContext {
  processor: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the runner shuts down; long handlers should stop early. */
  signal: AbortSignal;
  /** Logger bound to processor, shard and sequence number. */
  logger: StreamLogger;
}

export type RecordHandler<T> = (record: StreamRecord<T>, ctx: HandlerContext) => unknown;

/** What {@link defineProcessor} accepts. */
export interface ProcessorOptions<T> {
  /** Unique name; keys its checkpoints, retry queue, dead letters and counters. */
  name: string;
  stream: string;
  policy: FailurePolicy;
  handler: RecordHandler<T>;
  /** Records read per batch. Default 500. */
  batchSize?: number;
  /**
   * Optional: make buffered effects durable. Called before every checkpoint write (and by the
   * retry worker before it acknowledges a message), so a handler may buffer its writes and
   * commit them once per batch. If it throws, the records after the last written checkpoint
   * are handled again, so buffered effects must be idempotent (and kept until a flush works).
   */
  flush?: () => unknown;
}

/** A validated processor, all defaults filled in. */
export interface Processor<T = unknown> {
  name: string;
  stream: string;
  policy: Required<HaltPolicy> | SkipPolicy | ResolvedRetryPolicy;
  // Method syntax on purpose: it lets a Processor<LinkEvent> sit in a Processor[] list.
  handler(record: StreamRecord<T>, ctx: HandlerContext): unknown;
  batchSize: number;
  flush?: () => unknown;
}

export type ResolvedRetryPolicy = Required<Omit<RetryPolicy, 'shouldRetry'>> &
  Pick<RetryPolicy, 'shouldRetry'>;

const backoffSchema = z.strictObject({
  initialMs: z.number().nonnegative(),
  factor: z.number().min(1),
  maxMs: z.number().nonnegative(),
  jitter: z.enum(['full', 'none']),
});

const policySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('halt'),
    maxRecordAgeMs: z.number().int().positive().optional(),
    backoff: backoffSchema.optional(),
  }),
  z.strictObject({ kind: z.literal('skip') }),
  z.strictObject({
    kind: z.literal('retry'),
    retries: z.number().int().nonnegative().optional(),
    budgetMs: z.number().int().positive().optional(),
    maxReceives: z.number().int().positive().optional(),
    backoff: backoffSchema.optional(),
    shouldRetry: z.custom<(error: unknown) => boolean>((v) => typeof v === 'function').optional(),
  }),
]);

const optionsSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (at most 64)'),
  stream: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/),
  policy: policySchema,
  handler: z.custom<RecordHandler<unknown>>((v) => typeof v === 'function', 'a function'),
  batchSize: z.number().int().min(1).max(10_000).optional(),
  flush: z.custom<() => unknown>((v) => typeof v === 'function', 'a function').optional(),
});

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Define a processor. Options are checked now (unknown keys rejected) and defaults filled in.
 *
 * @example
 * export const visitCounter = defineProcessor<LinkEvent>({
 *   name: 'visit-counter',
 *   stream: 'links',
 *   policy: { kind: 'retry', retries: 2, budgetMs: 5000, maxReceives: 3 },
 *   handler: async (record) => { await stats.count(record); },
 * });
 */
export function defineProcessor<T = unknown>(options: ProcessorOptions<T>): Processor<T> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new InvalidProcessorError(
      `invalid processor ${JSON.stringify((options as { name?: unknown })?.name)}: ${z.prettifyError(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  const p = parsed.data.policy;
  let policy: Processor<T>['policy'];
  if (p.kind === 'halt') {
    policy = {
      kind: 'halt',
      maxRecordAgeMs: p.maxRecordAgeMs ?? DAY_MS,
      backoff: p.backoff ?? DEFAULT_BACKOFF,
    };
  } else if (p.kind === 'skip') {
    policy = { kind: 'skip' };
  } else {
    const retry: ResolvedRetryPolicy = {
      kind: 'retry',
      retries: p.retries ?? 2,
      budgetMs: p.budgetMs ?? 5_000,
      maxReceives: p.maxReceives ?? 3,
      backoff: p.backoff ?? DEFAULT_BACKOFF,
    };
    if (p.shouldRetry) retry.shouldRetry = p.shouldRetry;
    policy = retry;
  }
  const processor: Processor<T> = {
    name: options.name,
    stream: options.stream,
    policy,
    handler: options.handler,
    batchSize: options.batchSize ?? 500,
  };
  if (options.flush) processor.flush = options.flush;
  return processor;
}
