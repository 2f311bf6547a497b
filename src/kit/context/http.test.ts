import { describe, expect, it } from 'vitest';
import { contextFromAttributes, contextToAttributes } from './context.ts';
import { contextFromHeaders, contextToHeaders, sampleDebug } from './http.ts';

const never = { random: () => 0.999 };
const always = { random: () => 0 };

describe('contextFromHeaders', () => {
  it('captures every x-correlation-* header, the user agent and an upstream debug decision', () => {
    const context = contextFromHeaders(
      new Headers({
        'X-Correlation-Id': 'abc',
        'x-correlation-user-id': 'u-1',
        'User-Agent': 'curl/8',
        'debug-log-enabled': 'true',
        'x-other': 'ignored',
      }),
      never,
    );
    expect(context).toEqual({
      correlationIds: { 'x-correlation-id': 'abc', 'x-correlation-user-id': 'u-1' },
      userAgent: 'curl/8',
      debugLogEnabled: true,
    });
  });

  it('defaults x-correlation-id to x-request-id, then to a new id', () => {
    expect(contextFromHeaders({ 'X-Request-Id': 'req-7' }, never).correlationIds).toEqual({
      'x-correlation-id': 'req-7',
    });
    const a = contextFromHeaders({}, never).correlationIds['x-correlation-id'];
    const b = contextFromHeaders({}, never).correlationIds['x-correlation-id'];
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });

  it('samples debug by the configured share when upstream did not decide', () => {
    expect(contextFromHeaders({}, always).debugLogEnabled).toBe(true);
    expect(contextFromHeaders({}, never).debugLogEnabled).toBe(false);
    expect(contextFromHeaders({ 'debug-log-enabled': 'false' }, never).debugLogEnabled).toBe(false);
    expect(sampleDebug({ debugSampleRate: 0, random: () => 0 })).toBe(false);
  });

  it('bounds what a caller can make every line and record carry', () => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < 40; i++) headers[`x-correlation-extra-${i}`] = `v${i}`;
    headers['x-correlation-id'] = 'x'.repeat(1000);
    const { correlationIds } = contextFromHeaders(headers, never);
    expect(Object.keys(correlationIds)).toHaveLength(16);
    expect(correlationIds['x-correlation-id']).toHaveLength(256);
  });

  it('samples about the default 1% of requests', () => {
    let sampled = 0;
    for (let i = 0; i < 20_000; i++) if (contextFromHeaders({}).debugLogEnabled) sampled++;
    // Binomial(20000, 0.01): mean 200, sd ~14; these bounds are > 6 sd wide.
    expect(sampled).toBeGreaterThan(110);
    expect(sampled).toBeLessThan(290);
  });
});

describe('contextToHeaders', () => {
  it('forwards what contextFromHeaders captures, so the next hop sees the same context', () => {
    const original = contextFromHeaders(
      { 'x-correlation-id': 'abc', 'x-correlation-order': 'o-9', 'user-agent': 'app/1' },
      always,
    );
    expect(contextFromHeaders(contextToHeaders(original), never)).toEqual(original);
    expect(contextToHeaders(undefined)).toEqual({});
  });

  it('agrees with the one-attribute wire form used on records and messages', () => {
    const original = contextFromHeaders({ 'x-correlation-id': 'abc', 'user-agent': 'x' }, always);
    expect(contextFromAttributes(contextToAttributes(original))).toEqual(original);
  });
});
