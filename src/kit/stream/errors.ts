/** Base class of every stream-kit error: a `code` a program can test and an optional `cause`. */
export class StreamError extends Error {
  override name = 'StreamError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A processor definition or option is invalid. */
export class InvalidProcessorError extends StreamError {
  override name = 'InvalidProcessorError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_PROCESSOR', message, options);
  }
}

/** A stream, shard or dead letter that does not exist. */
export class NotFoundError extends StreamError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/**
 * Throw (or wrap) this from a handler when retrying cannot help (bad data, a permanent 4xx).
 * Under the `retry` policy the record goes straight to dead letters; under `skip` it is
 * dropped; under `halt` it still blocks, because halting is the declared choice.
 *
 * @example
 * if (!isValid(record.data)) throw new NonRetryableError('missing code');
 */
export class NonRetryableError extends StreamError {
  override name = 'NonRetryableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('NON_RETRYABLE', message, options);
  }
}
