import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { aggregateCounts } from './aggregate.ts';
import type { MetricPoint, MetricSink, MetricType } from './types.ts';

/** Histogram buckets for timings, in seconds (1 ms to 10 s). */
export const TIMING_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

type Instrument =
  | { type: 'count'; metric: Counter<string>; labels: string[] }
  | { type: 'gauge'; metric: Gauge<string>; labels: string[] }
  | { type: 'timing'; metric: Histogram<string>; labels: string[] };

const SUFFIX: Record<MetricType, string> = { count: '_total', gauge: '', timing: '_seconds' };

/** Prometheus names allow `[a-zA-Z_:][a-zA-Z0-9_:]*`; everything else becomes `_`. */
export function prometheusName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[a-zA-Z_:]/.test(clean) ? clean : `_${clean}`;
}

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
  const instruments = new Map<string, Instrument>();

  const instrumentFor = (point: MetricPoint): Instrument | undefined => {
    const name = prometheusName(point.name) + SUFFIX[point.type];
    const known = instruments.get(name);
    if (known) return known;
    if (registry.getSingleMetric(name)) return undefined; // registered elsewhere: leave it alone
    const labels = Object.keys(point.dimensions).map(prometheusName).sort();
    const base = {
      name,
      help: `${point.type} ${point.name}`,
      labelNames: labels,
      registers: [registry],
    };
    const made: Instrument =
      point.type === 'count'
        ? { type: 'count', metric: new Counter(base), labels }
        : point.type === 'gauge'
          ? { type: 'gauge', metric: new Gauge(base), labels }
          : { type: 'timing', metric: new Histogram({ ...base, buckets: TIMING_BUCKETS }), labels };
    instruments.set(name, made);
    return made;
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
        const given = new Map<string, string>();
        for (const [key, value] of Object.entries(point.dimensions))
          given.set(prometheusName(key), value);
        const labels: Record<string, string> = {};
        for (const label of instrument.labels) labels[label] = given.get(label) ?? '';
        // prom-client throws on a negative increment; a counter can only go up.
        if (instrument.type === 'count') {
          if (point.value >= 0) instrument.metric.inc(labels, point.value);
        } else if (instrument.type === 'gauge') instrument.metric.set(labels, point.value);
        else instrument.metric.observe(labels, point.value / 1000);
      }
    },
  };
}
