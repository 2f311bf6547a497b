/** The deployment stages and what differs between them. */
export const STAGES = ['dev', 'test', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageSettings {
  stage: Stage;
  /** Kinesis shards of the events stream. */
  shards: number;
  /** Redirects cached by the API Gateway stage cache (costs per hour, so prod only). */
  cacheRedirects: boolean;
  /** Keep the table and the stream when the stack is deleted. */
  retainData: boolean;
  /** Days of Lambda and access logs. */
  logRetentionDays: number;
  /** Alarm when a processor is this far behind the stream tip, ms. */
  iteratorAgeAlarmMs: number;
  /** API Gateway steady-state requests per second and burst, per stage. */
  throttle: { rateLimit: number; burstLimit: number };
}

const base = {
  shards: 1,
  cacheRedirects: false,
  retainData: false,
  logRetentionDays: 14,
  iteratorAgeAlarmMs: 60_000,
  throttle: { rateLimit: 50, burstLimit: 100 },
};

export const STAGE_SETTINGS: Readonly<Record<Stage, StageSettings>> = {
  dev: { ...base, stage: 'dev' },
  test: { ...base, stage: 'test', logRetentionDays: 7 },
  staging: { ...base, stage: 'staging', retainData: true, logRetentionDays: 30 },
  prod: {
    ...base,
    stage: 'prod',
    shards: 2,
    cacheRedirects: true,
    retainData: true,
    logRetentionDays: 90,
    iteratorAgeAlarmMs: 30_000,
    throttle: { rateLimit: 1_000, burstLimit: 2_000 },
  },
};

/** Thrown for a stage name that is not one of {@link STAGES}. */
export class StageError extends Error {
  override readonly name = 'StageError';
  readonly code = 'unknown_stage';
}

/**
 * The settings of a stage given on the command line (`--context stage=prod`).
 *
 * @example
 * stageSettings(app.node.tryGetContext('stage') ?? 'dev');
 */
export function stageSettings(stage: unknown): StageSettings {
  if (typeof stage !== 'string' || !(STAGES as readonly string[]).includes(stage)) {
    throw new StageError(
      `stage must be one of ${STAGES.join(', ')} (got ${JSON.stringify(stage)})`,
    );
  }
  return STAGE_SETTINGS[stage as Stage];
}
