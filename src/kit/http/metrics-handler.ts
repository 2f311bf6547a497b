import type { Handler } from 'hono';
import type { Registry } from 'prom-client';
import type { Metrics } from '../metrics/index.ts';

/**
 * `GET /metrics` for the local server: Prometheus text from a prom-client registry. Flushes
 * the recorder first (within its budget) so a scrape sees what was recorded up to now.
 *
 * @example
 * const prom = prometheusSink();
 * app.get('/metrics', metricsHandler({ registry: prom.registry, metrics }));
 */
export function metricsHandler({
  registry,
  metrics,
}: {
  registry: Registry;
  metrics?: Metrics;
}): Handler {
  return async function metricsEndpoint(c) {
    await metrics?.flush();
    const text = await registry.metrics();
    return c.body(text, 200, { 'content-type': registry.contentType });
  };
}
