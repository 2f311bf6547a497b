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
  /** Optional, as pino's: lets the engine skip building per-record debug lines nobody keeps. */
  isLevelEnabled?(level: string): boolean;
}

const noop: LogFn = () => {};

/** A logger that drops everything (the default, so tests stay quiet). */
export const silentLogger: StreamLogger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  isLevelEnabled: () => false,
};
