/** Why a call to the config service failed. */
export type ConfigClientErrorCode =
  | 'unavailable'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'version_conflict'
  | 'bad_request'
  | 'bad_response'
  | 'invalid_option';

/**
 * The error of the config client library. `status` is the HTTP status when the service
 * answered; `serviceCode` is the service's own error code.
 *
 * @example
 * try { await service.put('shortener', 'x', { value: 1, version: 3 }); }
 * catch (e) { if (e instanceof ConfigClientError && e.code === 'version_conflict') retry(); }
 */
export class ConfigClientError extends Error {
  override name = 'ConfigClientError';
  readonly code: ConfigClientErrorCode;
  readonly status: number | undefined;
  readonly serviceCode: string | undefined;
  /** The current version reported by a 409. */
  readonly currentVersion: number | undefined;

  constructor(
    code: ConfigClientErrorCode,
    message: string,
    options: {
      cause?: unknown;
      status?: number;
      serviceCode?: string;
      currentVersion?: number;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.serviceCode = options.serviceCode;
    this.currentVersion = options.currentVersion;
  }
}
