/** Machine-readable error codes of the config service API. */
export type ConfigErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'version_conflict'
  | 'invalid_request'
  | 'invalid_name'
  | 'invalid_scope'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'encryption_unavailable';

/**
 * The base error of the config service. `status` is the HTTP status it maps to; `message` is
 * safe to show to the caller (it never contains a value).
 *
 * @example
 * throw new ConfigServiceError('forbidden', 'this key cannot write namespace "billing"', 403);
 */
export class ConfigServiceError extends Error {
  override name = 'ConfigServiceError';
  readonly code: ConfigErrorCode;
  readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 503;
  /** Extra fields for the JSON body, e.g. the current version on a conflict. */
  readonly details: Record<string, unknown>;

  constructor(
    code: ConfigErrorCode,
    message: string,
    status: ConfigServiceError['status'],
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = status;
    this.details = options.details ?? {};
  }
}

/** The JSON body every error response has. */
export function errorBody(code: string, message: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, ...details } };
}
