import { randomUUID } from 'node:crypto';
import {
  CORRELATION_ID,
  CORRELATION_PREFIX,
  DEBUG_HEADER,
  type RequestContext,
} from './context.ts';

/** The request-id header whose value becomes `x-correlation-id` when none is sent. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** The share of requests that log at debug when nobody upstream decided: 1%. */
export const DEFAULT_DEBUG_SAMPLE_RATE = 0.01;

/**
 * Limits on what a caller can make every log line and every record carry: at most this many
 * `x-correlation-*` headers (later ones are ignored) of at most this many characters each
 * (longer values are cut).
 */
export const MAX_CORRELATION_IDS = 16;
export const MAX_CORRELATION_VALUE_LENGTH = 256;

/** Headers in either web (`Headers`) or plain-object form; names are matched case-insensitively. */
export type HeaderSource = Headers | Readonly<Record<string, string | string[] | undefined>>;

/** How an entry point decides whether a new request logs at debug. */
export interface SamplingOptions {
  /** Share of requests sampled for debug logging, 0..1. Default 0.01. */
  debugSampleRate?: number;
  /** Source of randomness in [0, 1); injectable so tests can decide. Default Math.random. */
  random?: () => number;
}

/**
 * Decide debug sampling for a request that arrived without a decision.
 *
 * @example
 * sampleDebug({ debugSampleRate: 0.01 }); // true about once in a hundred calls
 */
export function sampleDebug({
  debugSampleRate = DEFAULT_DEBUG_SAMPLE_RATE,
  random = Math.random,
}: SamplingOptions = {}): boolean {
  return debugSampleRate > 0 && random() < debugSampleRate;
}

/** Call `visit` with each header, name in lower case (plain loops: this runs per request). */
function forEachHeader(headers: HeaderSource, visit: (name: string, value: string) => void): void {
  if (headers instanceof Headers) {
    // Headers iterates with lower-case names already.
    for (const [name, value] of headers) visit(name, value);
    return;
  }
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    visit(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
}

/**
 * Capture the context of an incoming HTTP request: every `x-correlation-*` header,
 * `x-correlation-id` defaulting to `x-request-id` or a new UUID, the caller's
 * `User-Agent`, and the debug decision. An incoming `debug-log-enabled: true` is
 * honoured (the decision was made upstream); otherwise this request is sampled.
 *
 * @example
 * const context = contextFromHeaders(c.req.raw.headers, { debugSampleRate: 0.05 });
 * await runWithContext(context, next);
 */
export function contextFromHeaders(
  headers: HeaderSource,
  sampling: SamplingOptions = {},
): RequestContext {
  const correlationIds: Record<string, string> = {};
  let count = 0;
  let userAgent: string | undefined;
  let requestId: string | undefined;
  let debugHeader: string | undefined;
  forEachHeader(headers, (name, value) => {
    if (name.startsWith(CORRELATION_PREFIX)) {
      // The main id always fits; others only while there is room.
      if (value !== '' && (name === CORRELATION_ID || count < MAX_CORRELATION_IDS - 1)) {
        if (name !== CORRELATION_ID) count++;
        correlationIds[name] = value.slice(0, MAX_CORRELATION_VALUE_LENGTH);
      }
    } else if (name === 'user-agent') userAgent = value.slice(0, 512);
    else if (name === REQUEST_ID_HEADER) requestId = value.slice(0, MAX_CORRELATION_VALUE_LENGTH);
    else if (name === DEBUG_HEADER) debugHeader = value;
  });
  correlationIds[CORRELATION_ID] ??= requestId || randomUUID();
  // Only an explicit "true" from upstream counts; anything else means "not decided yet".
  const debugLogEnabled = debugHeader?.trim().toLowerCase() === 'true' || sampleDebug(sampling);
  return userAgent === undefined
    ? { correlationIds, debugLogEnabled }
    : { correlationIds, userAgent, debugLogEnabled };
}

/**
 * The headers an outgoing HTTP call carries so the next service joins the same trace:
 * the correlation ids, the original caller's `User-Agent`, and `debug-log-enabled: true`
 * when this request was sampled.
 *
 * @example
 * await fetch(url, { headers: contextToHeaders(currentContext()) });
 */
export function contextToHeaders(context: RequestContext | undefined): Record<string, string> {
  if (!context) return {};
  const headers: Record<string, string> = { ...context.correlationIds };
  if (context.userAgent !== undefined) headers['user-agent'] = context.userAgent;
  if (context.debugLogEnabled) headers[DEBUG_HEADER] = 'true';
  return headers;
}
