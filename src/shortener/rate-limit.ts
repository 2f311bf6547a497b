/**
 * A per-client token bucket: each client may create `perMinute` links in a burst, refilled
 * continuously. State is in memory (per process), which is what a single-machine service and a
 * warm Lambda need; a fleet-wide limit belongs in front (API Gateway throttling).
 *
 * @example
 * const limiter = new RateLimiter({ perMinute: 60 });
 * const { allowed, retryAfterSeconds } = limiter.take('203.0.113.7');
 */
export class RateLimiter {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  readonly #maxClients: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: { perMinute: number; maxClients?: number; now?: () => number }) {
    this.#capacity = options.perMinute;
    this.#refillPerMs = options.perMinute / 60_000;
    this.#maxClients = options.maxClients ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /** False when the limit is off (`perMinute` 0): callers can skip finding out who the client is. */
  get enabled(): boolean {
    return this.#capacity > 0;
  }

  /** Take one token for `client`. When none is left, say how long until one is. */
  take(client: string): { allowed: boolean; retryAfterSeconds: number } {
    if (this.#capacity <= 0) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.#now();
    const bucket = this.#buckets.get(client) ?? { tokens: this.#capacity, at: now };
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.at) * this.#refillPerMs);
    bucket.at = now;
    this.#remember(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.#refillPerMs / 1000)),
    };
  }

  #remember(client: string, bucket: { tokens: number; at: number }): void {
    this.#buckets.delete(client);
    this.#buckets.set(client, bucket);
    // Bounded memory: forget the least recently seen client (it starts again with a full bucket).
    if (this.#buckets.size > this.#maxClients) {
      const oldest = this.#buckets.keys().next();
      if (!oldest.done) this.#buckets.delete(oldest.value);
    }
  }
}
