import { aggregateCounts } from './aggregate.ts';
import { MetricsError } from './errors.ts';
import { METRIC_TYPES, type MetricPoint, type MetricSink, type MetricType } from './types.ts';

/** The prefix that marks a metric line among log lines. */
export const MONITORING_PREFIX = 'MONITORING|';

// Only the characters that are syntax in the line are escaped, so ordinary names stay
// readable. Whitespace is escaped too, because log pipelines trim it at line ends.
const encoded = new Map<string, string>();
// Names and dimension values repeat endlessly (routes, statuses), so encodings are memoised;
// the memo is bounded so odd values cannot grow it without limit.
const encodeField = (text: string): string => {
  let value = encoded.get(text);
  if (value === undefined) {
    value = text.replace(/[%|,=\s]/g, encodeURIComponent);
    if (encoded.size >= 10_000) encoded.clear();
    encoded.set(text, value);
  }
  return value;
};

function decodeField(text: string, line: string): string {
  try {
    return decodeURIComponent(text);
  } catch (cause) {
    throw new MetricsError('MALFORMED_LINE', `bad escape in metric line: ${line}`, { cause });
  }
}

/**
 * Format a point as `MONITORING|<epoch seconds>|<value>|<type>|<name>`, followed by
 * `|<dimension>=<value>,…` when it has dimensions. `%`, `|`, `,`, `=` and line breaks in
 * names and dimensions are percent-escaped.
 *
 * @example
 * formatMonitoringLine({ name: 'links.created', value: 1, type: 'count', timestamp: 1700000000000, dimensions: {} });
 * // 'MONITORING|1700000000|1|count|links.created'
 */
export function formatMonitoringLine(point: MetricPoint): string {
  const seconds = Math.floor(point.timestamp / 1000);
  const line = `${MONITORING_PREFIX}${seconds}|${point.value}|${point.type}|${encodeField(point.name)}`;
  const keys = Object.keys(point.dimensions);
  if (keys.length === 0) return line;
  const dimensions = keys
    .sort()
    .map((key) => `${encodeField(key)}=${encodeField(point.dimensions[key] ?? '')}`)
    .join(',');
  return `${line}|${dimensions}`;
}

/**
 * Parse a MONITORING line (anything before `MONITORING|`, such as a Lambda log prefix, is
 * ignored). The timestamp comes back in milliseconds, at whole seconds.
 *
 * @example
 * parseMonitoringLine('MONITORING|1700000000|12.5|timing|http.latency|route=%2F');
 * // { name: 'http.latency', value: 12.5, type: 'timing', timestamp: 1700000000000, dimensions: { route: '/' } }
 */
export function parseMonitoringLine(line: string): MetricPoint {
  const start = line.indexOf(MONITORING_PREFIX);
  const fields = line.slice(Math.max(0, start)).trimEnd().split('|');
  const [prefix, seconds, value, type, name, dims, ...rest] = fields;
  const bad = (why: string) => new MetricsError('MALFORMED_LINE', `${why}: ${line}`);
  if (start < 0 || prefix !== 'MONITORING' || rest.length > 0) throw bad('not a MONITORING line');
  if (seconds === undefined || !/^\d+(\.\d+)?$/.test(seconds)) throw bad('bad epoch seconds');
  const number = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(number)) {
    throw bad('bad value');
  }
  if (!METRIC_TYPES.includes(type as MetricType)) throw bad('bad metric type');
  if (name === undefined || name === '') throw bad('missing metric name');
  const pairs: Array<[string, string]> = [];
  for (const pair of dims === undefined ? [] : dims.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw bad('bad dimension');
    pairs.push([decodeField(pair.slice(0, eq), line), decodeField(pair.slice(eq + 1), line)]);
  }
  // fromEntries defines own properties, so no key from a log line can reach a prototype.
  const dimensions = Object.fromEntries(pairs);
  return {
    name: decodeField(name, line),
    value: number,
    type: type as MetricType,
    timestamp: Math.round(Number(seconds) * 1000),
    dimensions,
  };
}

/**
 * A sink that writes MONITORING lines in one write per flush: one line per gauge and timing,
 * and one per counter, dimension set and second (counts are summed).
 *
 * @example
 * createMetrics({ sinks: [monitoringSink()] });
 */
export function monitoringSink(
  write: (text: string) => void = (text) => process.stdout.write(text),
): MetricSink {
  return {
    write(points) {
      if (points.length === 0) return;
      write(`${aggregateCounts(points).map(formatMonitoringLine).join('\n')}\n`);
    },
  };
}
