import type { Handler } from 'hono';
import type { DestinationStream } from 'pino';
import { DEFAULT_DEBUG_SAMPLE_RATE } from '../context/index.ts';
import { createLogger, LogError, type Logger, type LogLevel } from '../log/index.ts';
import {
  createMetrics,
  logSinksFromEnv,
  type MetricSink,
  type Metrics,
  type PrometheusSink,
  prometheusSink,
} from '../metrics/index.ts';
import { metricsHandler } from './metrics-handler.ts';
import { observeRequests } from './observe-requests.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Options of {@link createObservability}. */
export interface ObservabilityOptions {
  /** The function or service: the logger's `name` and the `service` metric dimension. */
  name: string;
  /** Where `LOG_LEVEL`, `DEBUG_SAMPLE_RATE`, `METRICS_FORMAT`, `METRICS_NAMESPACE` are read. */
  env?: Env;
  /** Overrides `LOG_LEVEL` (e.g. from the service's own config). */
  level?: LogLevel;
  /** Log destination; default stdout. */
  destination?: DestinationStream;
  /** Where metric lines go; default stdout. */
  write?: (text: string) => void;
  /** Also feed a Prometheus registry (the local server's `GET /metrics`). */
  prometheus?: boolean;
  /** Background flush interval of metrics, ms. Default 1000. */
  flushIntervalMs?: number;
}

/** A logger, a metrics recorder and the HTTP pieces, configured once per process. */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
  /** Present when `prometheus: true`. */
  prometheus?: PrometheusSink;
  debugSampleRate: number;
  /** Observe every request `app` answers with this logger and recorder ({@link observeRequests}). */
  observe(app: Parameters<typeof observeRequests>[0]): void;
  /** `GET /metrics`, when `prometheus: true`. */
  metricsEndpoint(): Handler;
}

/**
 * Read `DEBUG_SAMPLE_RATE` (0..1, default 0.01).
 *
 * @example
 * debugSampleRateFromEnv({ DEBUG_SAMPLE_RATE: '0.05' }); // 0.05
 */
export function debugSampleRateFromEnv(env: Env = process.env): number {
  const raw = env.DEBUG_SAMPLE_RATE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_DEBUG_SAMPLE_RATE;
  const rate = Number(raw);
  if (!(rate >= 0 && rate <= 1)) {
    throw new LogError(
      'INVALID_OPTION',
      `DEBUG_SAMPLE_RATE: expected a number from 0 to 1, got "${raw}"`,
    );
  }
  return rate;
}

/**
 * Everything a function needs to be observable, from configuration.
 *
 * @example
 * const obs = createObservability({ name: 'shortener', prometheus: true });
 * obs.observe(app);
 * app.get('/metrics', obs.metricsEndpoint());
 */
export function createObservability(options: ObservabilityOptions): Observability {
  const env = options.env ?? process.env;
  const logger = createLogger({
    name: options.name,
    env,
    ...(options.level === undefined ? {} : { level: options.level }),
    ...(options.destination === undefined ? {} : { destination: options.destination }),
  });
  const debugSampleRate = debugSampleRateFromEnv(env);
  // Metric lines are log lines: a silent logger writes none, and a process that serves
  // GET /metrics needs none, unless METRICS_FORMAT asks for them.
  const noLines = !env.METRICS_FORMAT && (logger.level === 'silent' || options.prometheus === true);
  const sinks: MetricSink[] = noLines ? [] : logSinksFromEnv(env, options.write);
  const prometheus = options.prometheus ? prometheusSink() : undefined;
  if (prometheus) sinks.push(prometheus);
  const metrics = createMetrics({
    sinks,
    defaultDimensions: { service: options.name },
    ...(options.flushIntervalMs === undefined ? {} : { flushIntervalMs: options.flushIntervalMs }),
    onError: (error) => logger.warn({ err: error }, 'metrics sink failed'),
  });
  return {
    logger,
    metrics,
    ...(prometheus ? { prometheus } : {}),
    debugSampleRate,
    observe: (app) => observeRequests(app, { logger, metrics, debugSampleRate }),
    metricsEndpoint() {
      if (!prometheus) {
        throw new LogError(
          'INVALID_OPTION',
          'metricsEndpoint() needs createObservability({ prometheus: true })',
        );
      }
      return metricsHandler({ registry: prometheus.registry, metrics });
    },
  };
}
