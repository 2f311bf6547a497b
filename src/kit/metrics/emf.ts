import { aggregateCounts } from './aggregate.ts';
import { MetricsError } from './errors.ts';
import type { MetricPoint, MetricSink, MetricType } from './types.ts';

/** CloudWatch's limits for one EMF document. */
export const EMF_MAX_METRICS = 100;
export const EMF_MAX_VALUES = 100;
export const EMF_MAX_DIMENSIONS = 30;

const UNIT: Record<MetricType, string> = { count: 'Count', timing: 'Milliseconds', gauge: 'None' };

/** The JSON shape of one Embedded Metric Format document (a log line). */
export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [member: string]: unknown;
}

interface Draft {
  doc: EmfDocument;
  types: Map<string, MetricType>;
}

/**
 * Pack points into EMF documents: one per dimension set and second, at most 100 metrics
 * each, repeated values of one metric as an array of at most 100 values. Units carry the
 * type: `Count` for counts, `Milliseconds` for timings, `None` for gauges.
 *
 * @example
 * toEmfDocuments(points, 'shortline').map((d) => JSON.stringify(d)); // one line each
 */
export function toEmfDocuments(points: readonly MetricPoint[], namespace: string): EmfDocument[] {
  const groups = new Map<string, Draft[]>();
  const docs: EmfDocument[] = [];
  for (const point of points) {
    const keys = Object.keys(point.dimensions).sort();
    const second = Math.floor(point.timestamp / 1000);
    const groupKey = JSON.stringify([second, keys.map((k) => [k, point.dimensions[k]])]);
    let drafts = groups.get(groupKey);
    if (!drafts) {
      drafts = [];
      groups.set(groupKey, drafts);
    }
    let draft = drafts.find((d) => fits(d, point));
    if (!draft) {
      const doc: EmfDocument = {
        _aws: {
          Timestamp: second * 1000,
          CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [keys], Metrics: [] }],
        },
      };
      for (const key of keys) doc[key] = point.dimensions[key];
      draft = { doc, types: new Map() };
      drafts.push(draft);
      docs.push(doc);
    }
    // Own members only: a metric may well be called "toString".
    const existing = Object.hasOwn(draft.doc, point.name) ? draft.doc[point.name] : undefined;
    if (existing === undefined) {
      draft.doc[point.name] = point.value;
      draft.types.set(point.name, point.type);
      draft.doc._aws.CloudWatchMetrics[0]?.Metrics.push({
        Name: point.name,
        Unit: UNIT[point.type],
      });
    } else {
      draft.doc[point.name] = Array.isArray(existing)
        ? [...existing, point.value]
        : [existing, point.value];
    }
  }
  return docs;
}

function fits(draft: Draft, point: MetricPoint): boolean {
  const type = draft.types.get(point.name);
  if (type === undefined) return draft.types.size < EMF_MAX_METRICS;
  const values = draft.doc[point.name];
  return type === point.type && (!Array.isArray(values) || values.length < EMF_MAX_VALUES);
}

const TYPE_OF_UNIT = new Map<unknown, MetricType>([
  ['Count', 'count'],
  ['Milliseconds', 'timing'],
]);

/**
 * Turn an EMF document (parsed JSON) back into points: every metric of every directive, with
 * the dimensions its dimension sets name. Unit `Count` reads as a count, `Milliseconds` as a
 * timing, anything else as a gauge.
 *
 * @example
 * fromEmfDocument(JSON.parse(line)); // MetricPoint[]
 */
export function fromEmfDocument(doc: unknown): MetricPoint[] {
  const bad = (why: string) => new MetricsError('MALFORMED_LINE', `bad EMF document: ${why}`);
  if (typeof doc !== 'object' || doc === null) throw bad('not an object');
  const root = doc as Record<string, unknown>;
  const aws = root._aws as Partial<EmfDocument['_aws']> | undefined;
  if (typeof aws !== 'object' || aws === null) throw bad('no _aws');
  if (typeof aws.Timestamp !== 'number') throw bad('no _aws.Timestamp');
  if (!Array.isArray(aws.CloudWatchMetrics)) throw bad('no _aws.CloudWatchMetrics');
  const points: MetricPoint[] = [];
  for (const directive of aws.CloudWatchMetrics) {
    if (!Array.isArray(directive?.Metrics) || !Array.isArray(directive.Dimensions)) {
      throw bad('directive without Metrics or Dimensions');
    }
    const pairs: Array<[string, string]> = [];
    for (const key of directive.Dimensions.flat()) {
      const value = Object.hasOwn(root, key) ? root[key] : undefined;
      if (typeof value !== 'string') throw bad(`dimension ${key} is not a string member`);
      pairs.push([key, value]);
    }
    const dimensions = Object.fromEntries(pairs);
    for (const metric of directive.Metrics) {
      const member = Object.hasOwn(root, metric?.Name) ? root[metric.Name] : undefined;
      const values = Array.isArray(member) ? member : [member];
      for (const value of values) {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw bad(`metric ${metric?.Name} has no numeric value`);
        }
        points.push({
          name: metric.Name,
          value,
          type: TYPE_OF_UNIT.get(metric.Unit) ?? 'gauge',
          timestamp: aws.Timestamp,
          dimensions: { ...dimensions },
        });
      }
    }
  }
  return points;
}

/**
 * A sink that writes CloudWatch EMF documents, one JSON line each, in one write per flush.
 * Counts of one name, dimension set and second are summed first.
 * On Lambda, CloudWatch Logs turns these lines into metrics with no API call.
 *
 * @example
 * createMetrics({ sinks: [emfSink({ namespace: 'shortline' })] });
 */
export function emfSink({
  namespace,
  write = (text) => process.stdout.write(text),
}: {
  namespace: string;
  write?: (text: string) => void;
}): MetricSink {
  // The EMF specification: 1 to 255 characters, not only whitespace.
  if (namespace.length < 1 || namespace.length > 255 || !/\S/.test(namespace)) {
    throw new MetricsError(
      'INVALID_OPTION',
      `EMF namespace "${namespace}" must be 1-255 characters`,
    );
  }
  return {
    write(points) {
      if (points.length === 0) return;
      const docs = toEmfDocuments(aggregateCounts(points), namespace);
      write(`${docs.map((doc) => JSON.stringify(doc)).join('\n')}\n`);
    },
  };
}
