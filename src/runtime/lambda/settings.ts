/**
 * What the Lambda functions read from their environment (set by the CDK app). Read once at
 * init; a missing name fails the cold start with a message naming it.
 */
export class LambdaConfigError extends Error {
  override readonly name = 'LambdaConfigError';
  readonly code = 'missing_env';
}

/** The value of a required environment variable. */
export function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new LambdaConfigError(`environment variable ${name} is required`);
  }
  return value;
}

/** Environment variable names, shared with the CDK app so the two cannot drift. */
export const LAMBDA_ENV = {
  linksTable: 'SHORTLINE_LINKS_TABLE',
  eventsStream: 'SHORTLINE_EVENTS_STREAM',
  processor: 'SHORTLINE_PROCESSOR',
  retryQueueUrl: 'SHORTLINE_RETRY_QUEUE_URL',
  deadLetterQueueUrl: 'SHORTLINE_DLQ_URL',
} as const;
