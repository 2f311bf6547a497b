import { fromEmfDocument } from './emf.ts';
import { MetricsError } from './errors.ts';
import { MONITORING_PREFIX, parseMonitoringLine } from './monitoring.ts';
import type { MetricPoint } from './types.ts';

/**
 * Turn one log line back into metric points: a MONITORING line gives one point, an EMF
 * document gives all of its metrics, any other line gives none. A prefix before the metric
 * (such as Lambda's `<time>\t<request id>\tINFO\t`) is ignored. A line that is a metric
 * line but malformed throws a {@link MetricsError} with code `MALFORMED_LINE`.
 *
 * @example
 * for (const line of logText.split('\n')) points.push(...parseMetricLine(line));
 */
export function parseMetricLine(line: string): MetricPoint[] {
  // At the start of the line or after a tab (Lambda's prefix), so a JSON log line that merely
  // quotes a metric line is not mistaken for one.
  if (line.startsWith(MONITORING_PREFIX) || line.includes(`\t${MONITORING_PREFIX}`)) {
    return [parseMonitoringLine(line)];
  }
  if (!line.includes('"_aws"')) return [];
  const start = line.indexOf('{');
  let doc: unknown;
  try {
    doc = JSON.parse(line.slice(start));
  } catch {
    // A log message that merely mentions "_aws" is not a metric document.
    return [];
  }
  if (typeof doc !== 'object' || doc === null || !('_aws' in doc)) return [];
  return fromEmfDocument(doc);
}

/**
 * Parse many lines, skipping (and counting) malformed metric lines so one bad line never
 * stops a log shipper.
 *
 * @example
 * const { points, malformed } = parseMetricLines(text.split('\n'));
 */
export function parseMetricLines(lines: Iterable<string>): {
  points: MetricPoint[];
  malformed: number;
} {
  const points: MetricPoint[] = [];
  let malformed = 0;
  for (const line of lines) {
    try {
      points.push(...parseMetricLine(line));
    } catch (error) {
      if (!(error instanceof MetricsError)) throw error;
      malformed++;
    }
  }
  return { points, malformed };
}
