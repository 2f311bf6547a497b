import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import {
  CORRELATION_ID,
  contextFromHeaders,
  runWithContext,
  type SamplingOptions,
} from '../context/index.ts';
import type { Logger } from '../log/index.ts';
import type { Metrics } from '../metrics/index.ts';
import { presetResponseHeader, requestHeaders } from './node-bindings.ts';

/** The metric every request records: latency in ms by method, route and status. */
export const REQUEST_LATENCY_METRIC = 'http.request.latency';

/** Options of {@link observeRequests}. */
export interface ObserveRequestsOptions extends SamplingOptions {
  /** Writes one line per request. */
  logger: Logger;
  /** Records request latency by route and status. Optional: without it only logs are written. */
  metrics?: Metrics;
  /** Echo `x-correlation-id` on the response, so a caller can quote it. Default true. */
  echoCorrelationId?: boolean;
}

/**
 * Hono middleware for every HTTP entry point: captures the request's context (correlation
 * ids, user agent, debug sampling) and runs the rest of the request inside it, then logs one
 * line (method, route, path, status, latencyMs) and records `http.request.latency` by method,
 * route and status. Register it first, so every handler runs inside the context.
 *
 * Routes are the registered patterns (`/:code`), never raw paths, so metrics keep a bounded
 * set of dimension values; requests no route matched are recorded as `unmatched`.
 *
 * @example
 * app.use('*', observeRequests({ logger, metrics, debugSampleRate: 0.01 }));
 */
export function observeRequests(options: ObserveRequestsOptions): MiddlewareHandler {
  const { logger, metrics, echoCorrelationId = true } = options;
  const sampling: SamplingOptions = {};
  if (options.debugSampleRate !== undefined) sampling.debugSampleRate = options.debugSampleRate;
  if (options.random !== undefined) sampling.random = options.random;

  // Not async, and one `then` rather than nested awaits: with AsyncLocalStorage on Node 20,
  // every promise a request makes runs a hook, so the fewer the better.
  return function observeRequests(c, next) {
    const started = performance.now();
    const context = contextFromHeaders(requestHeaders(c), sampling);
    const id = context.correlationIds[CORRELATION_ID];
    const echoed =
      echoCorrelationId && id !== undefined && presetResponseHeader(c, CORRELATION_ID, id);
    const ownIndex = c.req.routeIndex;
    return runWithContext(context, () =>
      next().then(() => {
        const latencyMs = performance.now() - started;
        const status = c.res.status;
        // Still at this middleware's own index: no route handled the request.
        const route = c.req.routeIndex === ownIndex ? 'unmatched' : routePath(c);
        const line = {
          method: c.req.method,
          route,
          path: c.req.path,
          status,
          latencyMs: Math.round(latencyMs * 1000) / 1000,
          'user-agent': context.userAgent,
        };
        if (c.error) logger.error({ ...line, err: c.error }, 'request failed');
        else if (status >= 500) logger.error(line, 'request');
        else logger.info(line, 'request');
        metrics?.timing(REQUEST_LATENCY_METRIC, latencyMs, {
          method: c.req.method,
          route,
          status: String(status),
        });
        if (echoCorrelationId && !echoed && id !== undefined) {
          try {
            c.res.headers.set(CORRELATION_ID, id);
          } catch {
            // A proxied Response can have immutable headers; the id is in the logs anyway.
          }
        }
      }),
    );
  };
}
