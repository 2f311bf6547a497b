import { describe, expect, it } from 'vitest';
import { ApiKeys } from './api-keys.ts';
import { LruCache } from './lru-cache.ts';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
  it('allows a burst of perMinute per client, then refills over time', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 2, now: () => now });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(true);
    const denied = limiter.take('a');
    expect(denied).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(limiter.take('b').allowed).toBe(true);
    now += 30_000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('is off at 0', () => {
    const limiter = new RateLimiter({ perMinute: 0 });
    for (let i = 0; i < 100; i++) expect(limiter.take('a').allowed).toBe(true);
  });
});

describe('ApiKeys', () => {
  it('accepts only configured keys, and anything when none is configured', () => {
    const keys = new ApiKeys(['secret-one', 'secret-two']);
    expect(keys.accepts('secret-two')).toBe(true);
    expect(keys.accepts('secret-tw')).toBe(false);
    expect(keys.accepts(undefined)).toBe(false);
    expect(keys.accepts('')).toBe(false);
    expect(new ApiKeys([]).accepts(undefined)).toBe(true);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });
});
