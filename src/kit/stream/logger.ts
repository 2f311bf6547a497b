/**
 * The logger shape the stream kit writes to: pino-compatible, so a pino logger (or the kit's
 * own logger) plugs in directly.
 */
export type LogFn = (obj: Record<string, unknown>, msg?: string) => void;

/** `{info, warn, error, debug}(obj, msg)`, as pino. */
export interface StreamLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop: LogFn = () => {};

/** A logger that drops everything (the default, so tests stay quiet). */
export const silentLogger: StreamLogger = { debug: noop, info: noop, warn: noop, error: noop };
