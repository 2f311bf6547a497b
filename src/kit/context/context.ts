import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What travels with one unit of work (an HTTP request, a stream record, a queue message)
 * and is forwarded by every exit.
 */
export interface RequestContext {
  /** Every `x-correlation-*` value, keys lower-case. Always has `x-correlation-id`. */
  correlationIds: Record<string, string>;
  /** The original caller's User-Agent, when known. */
  userAgent?: string;
  /** The debug-sampling decision; once true it stays true downstream. */
  debugLogEnabled: boolean;
}

/** The single record/message attribute that carries a serialised context on the wire. */
export const CONTEXT_ATTRIBUTE = 'shortline-context';
export const CORRELATION_PREFIX = 'x-correlation-';
export const CORRELATION_ID = 'x-correlation-id';
export const DEBUG_HEADER = 'debug-log-enabled';

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the work running now, or undefined outside any entry point. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Run `fn` with `context` as the current context (for it and everything it awaits).
 *
 * @example
 * await runWithContext(contextFromAttributes(record.attributes), () => handler(record));
 */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** A new context with a fresh correlation id. */
export function newContext(debugLogEnabled = false): RequestContext {
  return { correlationIds: { [CORRELATION_ID]: randomUUID() }, debugLogEnabled };
}

/**
 * The wire form: one attribute whose value is JSON of the correlation ids plus `user-agent`
 * and `debug-log-enabled`, so that SNS/SQS's limit of 10 message attributes is never reached.
 */
export function contextToAttributes(
  context: RequestContext | undefined = currentContext(),
): Record<string, string> {
  if (!context) return {};
  // Copied key by key: cheaper than a spread, and this runs once per published event.
  const wire: Record<string, string> = {};
  const ids = context.correlationIds;
  for (const key in ids) wire[key] = ids[key] as string;
  if (context.userAgent !== undefined) wire['user-agent'] = context.userAgent;
  if (context.debugLogEnabled) wire[DEBUG_HEADER] = 'true';
  return { [CONTEXT_ATTRIBUTE]: JSON.stringify(wire) };
}

/**
 * Read a context back from record or message attributes. Missing or malformed attributes
 * give a new context rather than an error: a bad header must never drop a record.
 */
export function contextFromAttributes(
  attributes: Readonly<Record<string, string>> | undefined,
): RequestContext {
  const raw = attributes?.[CONTEXT_ATTRIBUTE];
  if (!raw) return newContext();
  let wire: unknown;
  try {
    wire = JSON.parse(raw);
  } catch {
    return newContext();
  }
  if (typeof wire !== 'object' || wire === null) return newContext();
  const correlationIds: Record<string, string> = {};
  let userAgent: string | undefined;
  let debugLogEnabled = false;
  for (const [key, value] of Object.entries(wire)) {
    if (typeof value !== 'string') continue;
    const name = key.toLowerCase();
    if (name.startsWith(CORRELATION_PREFIX)) correlationIds[name] = value;
    else if (name === 'user-agent') userAgent = value;
    else if (name === DEBUG_HEADER) debugLogEnabled = value === 'true';
  }
  correlationIds[CORRELATION_ID] ??= randomUUID();
  return userAgent === undefined
    ? { correlationIds, debugLogEnabled }
    : { correlationIds, userAgent, debugLogEnabled };
}
