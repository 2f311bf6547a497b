import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { LogError, memoryDestination } from '../log/index.ts';
import { parseMetricLines } from '../metrics/index.ts';
import { createObservability, debugSampleRateFromEnv } from './observability.ts';

describe('createObservability', () => {
  it('wires logger, metrics and GET /metrics from configuration', async () => {
    const logs = memoryDestination();
    let metricText = '';
    const obs = createObservability({
      name: 'svc',
      env: { LOG_LEVEL: 'warn', METRICS_FORMAT: 'monitoring', DEBUG_SAMPLE_RATE: '0' },
      destination: logs,
      write: (text) => {
        metricText += text;
      },
      prometheus: true,
    });
    const app = new Hono();
    obs.observe(app);
    app.get('/metrics', obs.metricsEndpoint());
    app.get('/hello', (c) => c.text('hi'));
    await app.request('/hello');
    const res = await app.request('/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain(
      'http_request_latency_seconds_count{method="GET",route="/hello",service="svc",status="200"} 1',
    );
    // LOG_LEVEL=warn: the request lines (info) are not written.
    expect(logs.records()).toEqual([]);
    const { points } = parseMetricLines(metricText.split('\n'));
    expect(points.map((p) => [p.name, p.dimensions.service, p.dimensions.route])).toContainEqual([
      'http.request.latency',
      'svc',
      '/hello',
    ]);
    expect(obs.debugSampleRate).toBe(0);
  });

  it('writes no metric lines for a silent logger unless METRICS_FORMAT asks', async () => {
    let text = '';
    const write = (t: string) => {
      text += t;
    };
    const quiet = createObservability({ name: 'q', env: { LOG_LEVEL: 'silent' }, write });
    quiet.metrics.count('n');
    await quiet.metrics.flush();
    expect(text).toBe('');
    const asked = createObservability({
      name: 'q',
      env: { LOG_LEVEL: 'silent', METRICS_FORMAT: 'monitoring' },
      write,
    });
    asked.metrics.count('n');
    await asked.metrics.flush();
    expect(text).toMatch(/^MONITORING\|\d+\|1\|count\|n\|service=q\n$/);
  });

  it('rejects bad configuration with the variable named', () => {
    expect(debugSampleRateFromEnv({})).toBe(0.01);
    expect(() => debugSampleRateFromEnv({ DEBUG_SAMPLE_RATE: '5' })).toThrow(/DEBUG_SAMPLE_RATE/);
    expect(() => createObservability({ name: 'x', env: { METRICS_FORMAT: 'xml' } })).toThrow(
      /METRICS_FORMAT/,
    );
    expect(() => createObservability({ name: 'x', env: {} }).metricsEndpoint()).toThrow(LogError);
  });
});
