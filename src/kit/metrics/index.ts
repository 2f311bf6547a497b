export type { MetricsFormat } from './config.ts';
export { DEFAULT_METRICS_NAMESPACE, logSinksFromEnv } from './config.ts';
export type { EmfDocument } from './emf.ts';
export {
  EMF_MAX_DIMENSIONS,
  EMF_MAX_METRICS,
  EMF_MAX_VALUES,
  emfSink,
  fromEmfDocument,
  toEmfDocuments,
} from './emf.ts';
export { MetricsError } from './errors.ts';
export type { FlushResult, Metrics, MetricsOptions } from './metrics.ts';
export { createMetrics, DEFAULT_FLUSH_BUDGET_MS } from './metrics.ts';
export {
  formatMonitoringLine,
  MONITORING_PREFIX,
  monitoringSink,
  parseMonitoringLine,
} from './monitoring.ts';
export { parseMetricLine, parseMetricLines } from './parse.ts';
export type { PrometheusSink } from './prometheus.ts';
export { prometheusName, prometheusSink, TIMING_BUCKETS } from './prometheus.ts';
export type { Dimensions, MetricPoint, MetricSink, MetricType } from './types.ts';
export { METRIC_TYPES } from './types.ts';
