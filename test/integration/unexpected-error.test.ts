import { describe, expect, it } from 'vitest';
import { createLogger, memoryDestination } from '../../src/kit/log/index.ts';
import { createMetrics } from '../../src/kit/metrics/index.ts';
import { composeShortener } from '../../src/runtime/compose.ts';
import { loadConfig } from '../../src/runtime/config.ts';
import { BASE_ALPHABET } from '../../src/shortener/codes.ts';
import type { LinkStore } from '../../src/shortener/ports.ts';

// A store whose reads fail, as a broken database would.
const broken: LinkStore = {
  insert: () => Promise.reject(new Error('disk on fire')),
  getByCode: () => Promise.reject(new Error('disk on fire')),
  getByUrlHash: () => Promise.reject(new Error('disk on fire')),
  reserveBlock: () => Promise.reject(new Error('disk on fire')),
  close: () => Promise.resolve(),
};

describe('the shortener app on an unexpected error', () => {
  it('answers a bare 500 and logs the error with the request ids', async () => {
    const logs = memoryDestination();
    const logger = createLogger({ destination: logs, level: 'info' });
    const metrics = createMetrics({ sinks: [] });
    const { app } = composeShortener({
      config: loadConfig({ env: {}, overrides: { createRateLimit: 0 } }),
      store: broken,
      alphabet: BASE_ALPHABET,
      observability: { logger, metrics, debugSampleRate: 0 },
    });
    const res = await app.request('/abcde', { headers: { 'x-correlation-id': 'broken-1' } });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({
      error: { code: 'internal_error', message: 'something went wrong on our side' },
    });
    expect(body).not.toContain('disk on fire');
    expect(logs.records()).toMatchObject([
      {
        level: 'error',
        msg: 'unexpected error',
        'x-correlation-id': 'broken-1',
        err: { message: 'disk on fire' },
      },
      {
        level: 'error',
        msg: 'request',
        route: '/:code',
        status: 500,
        'x-correlation-id': 'broken-1',
      },
    ]);
    await metrics.close();
  });
});
