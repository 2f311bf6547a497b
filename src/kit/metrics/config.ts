import { emfSink } from './emf.ts';
import { MetricsError } from './errors.ts';
import { monitoringSink } from './monitoring.ts';
import type { MetricSink } from './types.ts';

/** The log-line formats a function can write its metrics in. */
export type MetricsFormat = 'monitoring' | 'emf' | 'none';

/** The namespace EMF documents use unless `METRICS_NAMESPACE` says otherwise. */
export const DEFAULT_METRICS_NAMESPACE = 'shortline';

/**
 * The log-line sink chosen by configuration: `METRICS_FORMAT` is `monitoring` (default),
 * `emf` or `none`; `METRICS_NAMESPACE` names the EMF namespace (default `shortline`).
 *
 * @example
 * createMetrics({ sinks: [...logSinksFromEnv(process.env), prometheusSink()] });
 */
export function logSinksFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  write?: (text: string) => void,
): MetricSink[] {
  const format = (env.METRICS_FORMAT || 'monitoring').trim().toLowerCase();
  const namespace = env.METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE;
  switch (format) {
    case 'monitoring':
      return [write ? monitoringSink(write) : monitoringSink()];
    case 'emf':
      return [write ? emfSink({ namespace, write }) : emfSink({ namespace })];
    case 'none':
      return [];
    default:
      throw new MetricsError(
        'INVALID_OPTION',
        `METRICS_FORMAT "${format}" is not one of monitoring, emf, none`,
      );
  }
}
