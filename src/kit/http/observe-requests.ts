import type { Hono } from 'hono';
import type { RouterRoute } from 'hono/types';
import { getPath } from 'hono/utils/url';
import {
  CORRELATION_ID,
  contextFromHeaders,
  type RequestContext,
  runWithContext,
  type SamplingOptions,
} from '../context/index.ts';
import type { Logger } from '../log/index.ts';
import type { Metrics } from '../metrics/index.ts';
import { addHeaderOnWriteHead, nodeBindingsOf } from './node-bindings.ts';

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

// Any hono app: the env and schema types do not matter to what is done here.
// biome-ignore lint/suspicious/noExplicitAny: hono's own generic defaults
type AnyHono = Hono<any, any, any>;

/**
 * Observe every request an app answers, on every runtime (`serve`, the Lambda adapter,
 * `app.request` in tests): capture the request's context (correlation ids, user agent, debug
 * sampling) and answer inside it, then log one line (method, route, path, status, latencyMs)
 * and record `http.request.latency` by method, route and status.
 *
 * It wraps `app.fetch` rather than being a hono middleware. A middleware makes hono compose
 * the request, and every request then makes a dozen promises, each of which runs
 * AsyncLocalStorage's hooks on Node 20; around `fetch`, a handler that answers synchronously
 * (a redirect from the cache) makes none of its own. Call it once per app.
 *
 * Routes are the registered patterns (`/:code`), never raw paths, so metrics keep a bounded
 * set of dimension values; requests no route matched are recorded as `unmatched`. Status 500
 * and up log at error; the app's `onError` is where the error itself is logged.
 *
 * @example
 * const app = new Hono();
 * observeRequests(app, { logger, metrics, debugSampleRate: 0.01 });
 */
export function observeRequests(app: AnyHono, options: ObserveRequestsOptions): void {
  const { logger, metrics, echoCorrelationId = true } = options;
  const sampling: SamplingOptions = {};
  if (options.debugSampleRate !== undefined) sampling.debugSampleRate = options.debugSampleRate;
  if (options.random !== undefined) sampling.random = options.random;
  const dispatch = app.fetch;
  const router = app.router;
  // The router's answer (and the path hono computed) for the request being dispatched, kept
  // as hono asks for it: matching again for the route name cost as much as hono's own match.
  let waiting: RequestObservation | undefined;
  app.router = {
    name: router.name,
    add: (method, path, handler) => router.add(method, path, handler),
    match(method, path) {
      const result = router.match(method, path);
      if (waiting) {
        waiting.matched = result[0];
        waiting.path = path;
        waiting = undefined;
      }
      return result;
    },
  };

  app.fetch = function observedFetch(request, env, executionCtx) {
    const node = nodeBindingsOf(env);
    const context = contextFromHeaders(node?.incoming.headers ?? request.headers, sampling);
    const observation = new RequestObservation(request, context, logger, metrics);
    // On node, added to what node-server writes: changing a finished Response's headers
    // would turn @hono/node-server's light response into a web one.
    if (echoCorrelationId) {
      if (node !== undefined && !node.outgoing.headersSent) {
        addHeaderOnWriteHead(node.outgoing, CORRELATION_ID, observation.id);
      } else observation.echo = true;
    }
    return runWithContext(context, () => {
      waiting = observation;
      const response = dispatch(request, env, executionCtx);
      return isPromise(response)
        ? response.then((answer) => observation.finish(answer))
        : observation.finish(response);
    });
  };
}

/** One request on its way through the app (a class: no closures made per request). */
class RequestObservation {
  readonly started = performance.now();
  readonly id: string;
  /** What the router matched, caught as hono dispatched the request. */
  matched: ReadonlyArray<[[unknown, RouterRoute], unknown]> | undefined;
  /** The path hono routed, caught with `matched`. */
  path: string | undefined;
  /** Set the id on the Response (where node's response could not take it). */
  echo = false;

  readonly request: Request;
  readonly context: RequestContext;
  readonly logger: Logger;
  readonly metrics: Metrics | undefined;

  constructor(
    request: Request,
    context: RequestContext,
    logger: Logger,
    metrics: Metrics | undefined,
  ) {
    this.request = request;
    this.context = context;
    this.logger = logger;
    this.metrics = metrics;
    this.id = context.correlationIds[CORRELATION_ID] as string;
  }

  finish(response: Response): Response {
    const latencyMs = performance.now() - this.started;
    const { request, logger } = this;
    const method = request.method;
    const route = routeOf(this.matched);
    const status = response.status;
    const line = {
      method,
      route,
      path: this.path ?? getPath(request),
      status,
      latencyMs: Math.round(latencyMs * 1000) / 1000,
      'user-agent': this.context.userAgent,
    };
    if (status >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
    this.metrics?.timing(REQUEST_LATENCY_METRIC, latencyMs, {
      method,
      route,
      status: String(status),
    });
    if (this.echo) {
      try {
        response.headers.set(CORRELATION_ID, this.id);
      } catch {
        // A proxied Response can have immutable headers; the id is in the logs anyway.
      }
    }
    return response;
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T>).then === 'function';
}

/**
 * The registered pattern of the route that answered: the first matched route that is not a
 * middleware (hono registers `use` for the method `ALL`), as hono runs them in the order they
 * were registered; `unmatched` when there is none.
 */
function routeOf(matched: RequestObservation['matched']): string {
  if (matched) {
    for (const [[, route]] of matched) {
      if (route.method !== 'ALL') return route.path;
    }
  }
  return 'unmatched';
}
