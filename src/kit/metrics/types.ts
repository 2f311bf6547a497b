/** `count` adds up, `gauge` is a level at a moment, `timing` is a duration in milliseconds. */
export type MetricType = 'count' | 'gauge' | 'timing';

/** Names of the metric types, in the order the formats list them. */
export const METRIC_TYPES: readonly MetricType[] = ['count', 'gauge', 'timing'];

/** Dimension name to value, e.g. `{ route: '/:code', status: '308' }`. */
export type Dimensions = Readonly<Record<string, string>>;

/** One recorded measurement. */
export interface MetricPoint {
  name: string;
  value: number;
  type: MetricType;
  /** Epoch milliseconds when it was recorded. */
  timestamp: number;
  dimensions: Dimensions;
}

/**
 * Where flushed points go. Writing may be synchronous (a stdout line) or asynchronous (an
 * API call); either way it happens off the request path.
 */
export interface MetricSink {
  write(points: readonly MetricPoint[]): void | Promise<void>;
}
