import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { aggregateCounts } from './aggregate.ts';
import type { MetricPoint, MetricSink, MetricType } from './types.ts';

/** Histogram buckets for timings, in seconds (1 ms to 10 s). */
export const TIMING_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** The part of a prom-client metric bound to one set of label values. */
interface Child {
  inc?(value: number): void;
  set?(value: number): void;
  observe?(value: number): void;
}

interface Instrument {
  type: MetricType;
  metric: Counter<string> | Gauge<string> | Histogram<string>;
  labels: string[];
  /** Position of each label name in `labels`. */
  position: Map<string, number>;
  /** Children by label values, so a busy label set is hashed by prom-client once. */
  children: Map<string, Child>;
}

const SUFFIX: Record<MetricType, string> = { count: '_total', gauge: '', timing: '_seconds' };

/** Prometheus names allow `[a-zA-Z_:][a-zA-Z0-9_:]*`; everything else becomes `_`. */
export function prometheusName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[a-zA-Z_:]/.test(clean) ? clean : `_${clean}`;
}

// Metric and dimension names come from code, so there are few; the cap only guards against a
// caller that builds names from data.
const NAME_CACHE_LIMIT = 10_000;

/** A Prometheus sink and the registry it fills (serve it at `GET /metrics`). */
export interface PrometheusSink extends MetricSink {
  readonly registry: Registry;
}

/**
 * A sink that feeds a prom-client registry: counts become counters (`<name>_total`), gauges
 * gauges, timings histograms in seconds (`<name>_seconds`). Dots in names become `_`. The
 * label names of a metric are fixed by its first point: later points fill missing labels
 * with "" and drop extra ones, because Prometheus forbids one name with two label sets.
 *
 * @example
 * const prom = prometheusSink();
 * const metrics = createMetrics({ sinks: [prom] });
 * app.get('/metrics', metricsHandler({ metrics, registry: prom.registry }));
 */
export function prometheusSink(registry: Registry = new Registry()): PrometheusSink {
  // By type and metric name as recorded; undefined when the name is registered elsewhere.
  const instruments = new Map<string, Instrument | undefined>();
  const byPrometheusName = new Map<string, Instrument>();
  const names = new Map<string, string>();
  const promName = (name: string): string => {
    let known = names.get(name);
    if (known === undefined) {
      known = prometheusName(name);
      if (names.size < NAME_CACHE_LIMIT) names.set(name, known);
    }
    return known;
  };

  const create = (point: MetricPoint): Instrument | undefined => {
    const name = promName(point.name) + SUFFIX[point.type];
    // Names that differ only where Prometheus has `_` (a.b, a_b) share one instrument.
    const same = byPrometheusName.get(name);
    if (same) return same;
    if (registry.getSingleMetric(name)) return undefined; // registered elsewhere: leave it alone
    const labels = Object.keys(point.dimensions).map(promName).sort();
    const base = {
      name,
      help: `${point.type} ${point.name}`,
      labelNames: labels,
      registers: [registry],
    };
    const metric =
      point.type === 'count'
        ? new Counter(base)
        : point.type === 'gauge'
          ? new Gauge(base)
          : new Histogram({ ...base, buckets: TIMING_BUCKETS });
    const position = new Map(labels.map((label, i) => [label, i]));
    const made: Instrument = { type: point.type, metric, labels, position, children: new Map() };
    byPrometheusName.set(name, made);
    return made;
  };

  const instrumentFor = (point: MetricPoint): Instrument | undefined => {
    const key = `${point.type}\u0000${point.name}`;
    if (instruments.has(key)) return instruments.get(key);
    // A name can reach here with two types (a count and a gauge, say): one instrument each.
    const made = create(point);
    instruments.set(key, made);
    return made;
  };

  const childFor = (instrument: Instrument, point: MetricPoint): Child => {
    const values: string[] = instrument.labels.map(() => '');
    for (const key in point.dimensions) {
      const at = instrument.position.get(promName(key));
      if (at !== undefined) values[at] = point.dimensions[key] as string;
    }
    // NUL cannot occur in the text of a label value that means something.
    const key = values.join('\u0000');
    let child = instrument.children.get(key);
    if (!child) {
      const labels: Record<string, string> = {};
      instrument.labels.forEach((label, i) => {
        labels[label] = values[i] as string;
      });
      child = (instrument.metric as { labels(labels: Record<string, string>): Child }).labels(
        labels,
      );
      instrument.children.set(key, child);
    }
    return child;
  };

  return {
    registry,
    write(points) {
      // Counts are summed first: one increment per counter and second, not one per event.
      // A counter only goes up, so negative counts are left out of the sums.
      const usable = points.filter((p) => p.type !== 'count' || p.value >= 0);
      for (const point of aggregateCounts(usable)) {
        const instrument = instrumentFor(point);
        if (!instrument) continue;
        const child = childFor(instrument, point);
        if (instrument.type === 'count') child.inc?.(point.value);
        else if (instrument.type === 'gauge') child.set?.(point.value);
        else child.observe?.(point.value / 1000);
      }
    },
  };
}
