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
export { redrive } from './redrive.ts';
export type { Backoff, RetryDecisionInput } from './retry-timing.ts';
export { backoffDelay, DEFAULT_BACKOFF, nextRetryDelay } from './retry-timing.ts';
export type { RetryWorkerDeps } from './retry-worker.ts';
export { runRetryWorker } from './retry-worker.ts';
export type { RunnerOptions, RunningProcessors } from './runner.ts';
export { startProcessors } from './runner.ts';
export type { ConsumerDeps } from './shard-consumer.ts';
export { consumeShard } from './shard-consumer.ts';
export type { ProcessorStatus, ShardStatus } from './status.ts';
export { processorStatus } from './status.ts';
export type { AppendResult, ErrorInfo, NewRecord, StreamRecord } from './types.ts';
export { compareSequence, toErrorInfo } from './types.ts';
