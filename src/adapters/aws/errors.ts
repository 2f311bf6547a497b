/**
 * The one error class of the AWS adapters. `code` is machine-readable; `cause` keeps the SDK
 * error (its `name`, `$metadata`) for logs.
 *
 * @example
 * throw new AwsAdapterError('put_records_failed', '3 records still rejected after 4 attempts');
 */
export class AwsAdapterError extends Error {
  override readonly name = 'AwsAdapterError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `error` is an AWS SDK service exception with this name. */
export function isAwsError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
