export type { RecordOutcome } from './checkpoint.ts';
export { advanceCheckpoint } from './checkpoint.ts';
export {
  InvalidProcessorError,
  NonRetryableError,
  NotFoundError,
  StreamError,
} from './errors.ts';
export type { LogFn, StreamLogger } from './logger.ts';
export { silentLogger } from './logger.ts';
export type {
  CheckpointKey,
  CheckpointStore,
  DeadLetter,
  DeadLetters,
  FailedRecord,
  ProcessorCounters,
  ProcessorStatsStore,
  ReadOptions,
  RetryMessage,
  RetryQueue,
  StreamLog,
  StreamProducer,
} from './ports.ts';
export type {
  FailurePolicy,
  HaltPolicy,
  HandlerContext,
  Processor,
  ProcessorOptions,
  RecordHandler,
  ResolvedRetryPolicy,
  RetryPolicy,
  SkipPolicy,
} from './processor.ts';
export { defineProcessor } from './processor.ts';
export type { Backoff, RetryDecisionInput } from './retry-timing.ts';
export { backoffDelay, DEFAULT_BACKOFF, nextRetryDelay } from './retry-timing.ts';
export type { AppendResult, ErrorInfo, NewRecord, StreamRecord } from './types.ts';
export { compareSequence, toErrorInfo } from './types.ts';
