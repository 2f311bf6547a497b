/**
 * The base error of the metrics kit. `code` is machine-readable: `INVALID_METRIC` for a
 * point that no format can carry, `MALFORMED_LINE` for a metric line that cannot be parsed,
 * `INVALID_OPTION` for bad configuration.
 *
 * @example
 * try { parseMetricLine(line); } catch (e) { if (e instanceof MetricsError) skip(e.code); }
 */
export class MetricsError extends Error {
  override name = 'MetricsError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
