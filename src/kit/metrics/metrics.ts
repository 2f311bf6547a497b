import { EMF_MAX_DIMENSIONS } from './emf.ts';
import { MetricsError } from './errors.ts';
import type { Dimensions, MetricPoint, MetricSink, MetricType } from './types.ts';

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Where flushed points go. */
  sinks: readonly MetricSink[];
  /** Added to every point (a point's own dimensions win), e.g. `{ service: 'shortener' }`. */
  defaultDimensions?: Dimensions;
  /** How long points wait in the buffer before a background flush. Default 1000 ms. */
  flushIntervalMs?: number;
  /**
   * Points kept at most while waiting. Half of it starts a flush at once, without waiting for
   * the interval; beyond it (sinks that cannot keep up) new points are dropped and counted.
   * Points recorded by collectors are never dropped. Default 10 000.
   */
  maxBufferedPoints?: number;
  /** Called when a sink fails. Default: one line on stderr. */
  onError?: (error: unknown) => void;
}

/** What one flush did. `complete` is false when the time budget ran out first. */
export interface FlushResult {
  points: number;
  complete: boolean;
}

/**
 * The metrics API. Recording only appends to an in-memory buffer, so it never blocks a
 * request; a short unref'd timer flushes the buffer to the sinks.
 */
export interface Metrics {
  /** Add `value` (default 1) to a counter. */
  count(name: string, value?: number, dimensions?: Dimensions): void;
  /** Record the level of something now. */
  gauge(name: string, value: number, dimensions?: Dimensions): void;
  /** Record a duration in milliseconds. */
  timing(name: string, milliseconds: number, dimensions?: Dimensions): void;
  /**
   * Flush now and wait, but no longer than `budgetMs` (default 50): use at the end of a
   * Lambda invocation. Points not written within the budget wait for the next flush.
   */
  flush(options?: { budgetMs?: number }): Promise<FlushResult>;
  /**
   * Run `collector` at the start of every flush, to record values that are cheaper to read
   * now and then than to record per event (e.g. the deltas of a cache's hit counter).
   */
  collect(collector: () => void): void;
  /** Points waiting for a flush, and points dropped because the buffer was full. */
  stats(): { buffered: number; dropped: number };
  /** Stop the timer and flush what is left (with the same budget as `flush`). */
  close(options?: { budgetMs?: number }): Promise<FlushResult>;
}

/** The default budget of a synchronous flush. */
export const DEFAULT_FLUSH_BUDGET_MS = 50;
// Sync sinks get points in chunks so the budget is checked between chunks.
const CHUNK = 500;

// Names every format can carry: EMF puts metric and dimension names side by side as JSON
// members next to `_aws`, and `__proto__` is not a safe member name.
const RESERVED = new Set(['', '_aws', '__proto__']);
const NONE: Dimensions = Object.freeze({});

// Checked when recording: cheap, and a caller's bug should show where it is made.
function validate(name: string, value: number): void {
  if (RESERVED.has(name)) {
    throw new MetricsError('INVALID_METRIC', `bad metric name "${name}"`);
  }
  if (!Number.isFinite(value)) {
    throw new MetricsError('INVALID_METRIC', `${name}: value ${value} is not finite`);
  }
}

// Checked at flush, off the request path; a bad point is reported to onError and dropped.
function dimensionProblem(point: MetricPoint): MetricsError | undefined {
  const keys = Object.keys(point.dimensions);
  if (
    keys.length > EMF_MAX_DIMENSIONS ||
    keys.some((key) => key === point.name || RESERVED.has(key))
  ) {
    return new MetricsError(
      'INVALID_METRIC',
      `${point.name}: at most ${EMF_MAX_DIMENSIONS} dimensions, none named like the metric or _aws`,
    );
  }
  return undefined;
}

/**
 * Create a metrics recorder.
 *
 * @example
 * const metrics = createMetrics({ sinks: [monitoringSink()], defaultDimensions: { service: 'shortener' } });
 * metrics.count('links.created');
 * metrics.timing('http.request.latency', 3.2, { route: '/:code', status: '308' });
 * await metrics.flush({ budgetMs: 50 });
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const {
    sinks,
    defaultDimensions = {},
    flushIntervalMs = 1000,
    maxBufferedPoints = 10_000,
    onError = (error: unknown) =>
      process.stderr.write(
        `metrics: sink failed: ${error instanceof Error ? error.message : String(error)}\n`,
      ),
  } = options;
  if (!(flushIntervalMs >= 0) || !(maxBufferedPoints > 0)) {
    throw new MetricsError(
      'INVALID_OPTION',
      'flushIntervalMs must be >= 0 and maxBufferedPoints > 0',
    );
  }
  const hasDefaults = Object.keys(defaultDimensions).length > 0;
  // A busy process fills half the buffer before the interval is up: flush then, not drop.
  const flushAt = Math.max(1, Math.floor(maxBufferedPoints / 2));
  let buffer: MetricPoint[] = [];
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  let early: NodeJS.Immediate | undefined;
  let closed = false;
  let collecting = false;
  const collectors: Array<() => void> = [];

  // The request path: two checks and an append. Default dimensions are merged at flush.
  const record = (type: MetricType, name: string, value: number, dimensions: Dimensions = NONE) => {
    validate(name, value);
    // A collector's point stands for many events (a counter's delta): it is never dropped.
    if (buffer.length >= maxBufferedPoints && !collecting) {
      dropped++;
      return;
    }
    buffer.push({ name, value, type, timestamp: Date.now(), dimensions });
    if (buffer.length >= flushAt) flushSoon();
    else schedule();
  };

  const prepare = (raw: MetricPoint[]): MetricPoint[] => {
    const points: MetricPoint[] = [];
    for (const point of raw) {
      let ready = point;
      if (hasDefaults) {
        // Merged key by key: object spreads here showed in server profiles.
        const dimensions: Record<string, string> = {};
        for (const key in defaultDimensions) dimensions[key] = defaultDimensions[key] as string;
        for (const key in point.dimensions) dimensions[key] = point.dimensions[key] as string;
        ready = {
          name: point.name,
          value: point.value,
          type: point.type,
          timestamp: point.timestamp,
          dimensions,
        };
      }
      const problem = dimensionProblem(ready);
      if (problem) onError(problem);
      else points.push(ready);
    }
    return points;
  };

  const schedule = () => {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush({ budgetMs: Number.POSITIVE_INFINITY });
    }, flushIntervalMs);
    // A pending flush must never keep a process (or a test) alive.
    timer.unref();
  };

  // After the current event-loop turn, so a request never waits for the sinks.
  const flushSoon = () => {
    if (early || closed) return;
    early = setImmediate(() => {
      early = undefined;
      void flush({ budgetMs: Number.POSITIVE_INFINITY });
    });
    early.unref();
  };

  const flush = async ({ budgetMs = DEFAULT_FLUSH_BUDGET_MS } = {}): Promise<FlushResult> => {
    const deadline = performance.now() + budgetMs;
    collecting = true;
    for (const collector of collectors) {
      try {
        collector();
      } catch (error) {
        onError(error);
      }
    }
    collecting = false;
    const points = prepare(buffer);
    buffer = [];
    const pending: Promise<void>[] = [];
    let written = 0;
    for (let i = 0; i < points.length; i += CHUNK) {
      if (i > 0 && performance.now() >= deadline) {
        // Out of budget: what is left goes back to the front of the buffer for the timer.
        buffer = points.slice(i).concat(buffer);
        schedule();
        break;
      }
      const chunk = points.slice(i, i + CHUNK);
      for (const sink of sinks) {
        try {
          const result: unknown = sink.write(chunk);
          // Only a promise is waited for: a sink that returns something else wrote synchronously.
          if (typeof (result as PromiseLike<void> | undefined)?.then === 'function') {
            pending.push(Promise.resolve(result as PromiseLike<void>).catch(onError));
          }
        } catch (error) {
          onError(error);
        }
      }
      written += chunk.length;
    }
    let complete = written === points.length;
    if (pending.length > 0) {
      const remaining = deadline - performance.now();
      let expire: NodeJS.Timeout | undefined;
      const outOfTime = new Promise<false>((resolve) => {
        expire = setTimeout(() => resolve(false), Math.max(0, Math.min(remaining, 2 ** 31 - 1)));
        expire.unref();
      });
      const done = Promise.all(pending).then(() => true as const);
      complete = (await Promise.race([done, outOfTime])) && complete;
      clearTimeout(expire);
    }
    return { points: written, complete };
  };

  return {
    count: (name, value = 1, dimensions) => record('count', name, value, dimensions),
    gauge: (name, value, dimensions) => record('gauge', name, value, dimensions),
    timing: (name, milliseconds, dimensions) => record('timing', name, milliseconds, dimensions),
    flush,
    collect: (collector) => void collectors.push(collector),
    stats: () => ({ buffered: buffer.length, dropped }),
    close(closeOptions) {
      closed = true;
      if (timer) clearTimeout(timer);
      if (early) clearImmediate(early);
      timer = undefined;
      early = undefined;
      return flush(closeOptions);
    },
  };
}
