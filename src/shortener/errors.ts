/** Machine-readable error codes of the shortener API. */
export type ShortenerErrorCode =
  | 'invalid_url'
  | 'invalid_slug'
  | 'invalid_request'
  | 'slug_taken'
  | 'url_exists'
  | 'not_found'
  | 'unauthorized'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'method_not_allowed';

/**
 * The base error of the shortener. `status` is the HTTP status it maps to; `message` is safe
 * to show to the caller.
 *
 * @example
 * throw new ShortenerError('slug_taken', 'the slug "docs" is already used', 409);
 */
export class ShortenerError extends Error {
  override name = 'ShortenerError';
  readonly code: ShortenerErrorCode;
  readonly status: 400 | 401 | 404 | 405 | 409 | 413 | 415 | 429;
  /** Extra response headers, e.g. Retry-After. */
  readonly headers: Record<string, string>;

  constructor(
    code: ShortenerErrorCode,
    message: string,
    status: ShortenerError['status'],
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = status;
    this.headers = options.headers ?? {};
  }
}

/** The JSON body every error response has. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}
