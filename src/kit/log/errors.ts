/**
 * The base error of the logging kit. `code` is machine-readable.
 *
 * @example
 * try { createLogger({ level: 'loud' as never }); } catch (e) { if (e instanceof LogError) e.code; }
 */
export class LogError extends Error {
  override name = 'LogError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
