import { type Cipher, openJson } from './cipher.ts';
import { ConfigClientError } from './errors.ts';
import { ConfigServiceClient } from './service-client.ts';
import { type ConfigItem, NAME_PATTERN, secretAad } from './wire.ts';

/** A change seen by a poll. `value` is undefined when the key was deleted. */
export interface ConfigChange {
  namespace: string;
  key: string;
  value: unknown;
  previous: unknown;
  /** The new version; 0 when deleted. */
  version: number;
}

/** The part of a pino logger the client uses. It never logs a value. */
export interface ConfigClientLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/** The part of the kit's `Metrics` the client uses. */
export interface ConfigClientMetrics {
  count(name: string, value?: number, dimensions?: Readonly<Record<string, string>>): void;
}

/** Options of {@link ConfigClient}. Unknown keys are rejected. */
export interface ConfigClientOptions {
  /** Base URL of the service, e.g. `http://127.0.0.1:3000`. */
  url: string;
  apiKey: string;
  /** The namespaces to fetch and keep fresh. */
  namespaces: readonly string[];
  /** Opens secrets. Without it, secrets read as undefined (and a warning is logged). */
  cipher?: Cipher;
  /** Background poll period. Default 30 000 ms; 0 turns polling off. */
  pollIntervalMs?: number;
  /** A cached namespace older than this is refreshed by `load()`. Default: the poll period. */
  maxAgeMs?: number;
  /** Per-request timeout. Default 5000 ms. */
  timeoutMs?: number;
  logger?: ConfigClientLogger;
  metrics?: ConfigClientMetrics;
  fetch?: typeof fetch;
}

const OPTION_KEYS = new Set([
  'url',
  'apiKey',
  'namespaces',
  'cipher',
  'pollIntervalMs',
  'maxAgeMs',
  'timeoutMs',
  'logger',
  'metrics',
  'fetch',
]);

interface Cached {
  version: number;
  value: unknown;
}

interface NamespaceState {
  entries: Map<string, Cached>;
  etag?: string;
  fetchedAt: number;
  failures: number;
}

const quiet: ConfigClientLogger = { warn() {}, info() {} };
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A caching, polling config client. It fetches its namespaces on `start()`, serves reads
 * from memory (so a hot path never waits on the network), polls in the background on an
 * unref'd timer, tells listeners what changed, and opens secrets with its Cipher. When the
 * service is down it keeps serving the last good values, logging a warning and counting
 * `config.client.fetch_errors` on every failed poll.
 *
 * @example
 * const config = new ConfigClient({ url, apiKey, namespaces: ['shortener'], cipher });
 * await config.start();
 * const maxAge = config.get('shortener', 'redirect-max-age', 60);
 * config.onChange((change) => log.info({ key: change.key }, 'config changed'));
 */
export class ConfigClient {
  readonly #service: ConfigServiceClient;
  readonly #namespaces: readonly string[];
  readonly #cipher: Cipher | undefined;
  readonly #pollMs: number;
  readonly #maxAgeMs: number;
  readonly #logger: ConfigClientLogger;
  readonly #metrics: ConfigClientMetrics | undefined;
  readonly #state = new Map<string, NamespaceState>();
  readonly #listeners = new Set<(change: ConfigChange) => void>();
  readonly #warned = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #inflight: Promise<boolean> | undefined;
  #closed = false;
  #started = false;

  constructor(options: ConfigClientOptions) {
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.has(key))
        throw new ConfigClientError('invalid_option', `unknown option "${key}"`);
    }
    for (const namespace of options.namespaces) {
      if (!NAME_PATTERN.test(namespace)) {
        throw new ConfigClientError('invalid_option', `bad namespace "${namespace}"`);
      }
    }
    const pollMs = options.pollIntervalMs ?? 30_000;
    if (!Number.isFinite(pollMs) || pollMs < 0) {
      throw new ConfigClientError('invalid_option', 'pollIntervalMs must be >= 0');
    }
    this.#service = new ConfigServiceClient({
      url: options.url,
      apiKey: options.apiKey,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    this.#namespaces = [...new Set(options.namespaces)];
    this.#cipher = options.cipher;
    this.#pollMs = pollMs;
    this.#maxAgeMs = options.maxAgeMs ?? (pollMs || 30_000);
    this.#logger = options.logger ?? quiet;
    this.#metrics = options.metrics;
  }

  /**
   * Fetch every namespace once and start polling. Resolves true when all loaded; false when
   * some failed (they are retried by the poll, and reads fall back meanwhile). Never rejects,
   * so a service that is down does not stop its callers from starting.
   */
  async start(): Promise<boolean> {
    const ok = await this.refresh();
    // A second start() only refreshes: one poll chain per client, and none after close().
    if (!this.#started && !this.#closed) this.#schedule();
    this.#started = true;
    return ok;
  }

  /** The cached value, `fallback` when there is none. Never does I/O. */
  get<T = unknown>(namespace: string, key: string): T | undefined;
  get<T>(namespace: string, key: string, fallback: T): T;
  get<T>(namespace: string, key: string, fallback?: T): T | undefined {
    const value = this.#state.get(namespace)?.entries.get(key)?.value;
    return value === undefined ? fallback : (value as T);
  }

  /** The cached version of a key (0 when absent). */
  version(namespace: string, key: string): number {
    return this.#state.get(namespace)?.entries.get(key)?.version ?? 0;
  }

  /** Like `get`, but refreshes first when the cache is older than `maxAgeMs`. */
  async load<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    const state = this.#state.get(namespace);
    if (!state || Date.now() - state.fetchedAt > this.#maxAgeMs) await this.refresh();
    return this.get<T>(namespace, key);
  }

  /** Whether every namespace has loaded at least once and its last poll succeeded. */
  get healthy(): boolean {
    return this.#namespaces.every((ns) => {
      const state = this.#state.get(ns);
      return state !== undefined && state.fetchedAt > 0 && state.failures === 0;
    });
  }

  /** Listen for changes; returns a function that stops listening. */
  onChange(listener: (change: ConfigChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Fetch every namespace now (joins a fetch already running). True when all succeeded. */
  refresh(): Promise<boolean> {
    this.#inflight ??= Promise.all(this.#namespaces.map((ns) => this.#fetch(ns)))
      .then((results) => results.every(Boolean))
      .finally(() => {
        this.#inflight = undefined;
      });
    return this.#inflight;
  }

  /** Stop polling. Cached values stay readable. */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#closed || this.#pollMs === 0) return;
    // A chain of timeouts, not an interval: a slow poll never overlaps the next one.
    this.#timer = setTimeout(() => {
      void this.refresh().finally(() => this.#schedule());
    }, this.#pollMs);
    this.#timer.unref();
  }

  async #fetch(namespace: string): Promise<boolean> {
    const state: NamespaceState = this.#state.get(namespace) ?? {
      entries: new Map(),
      fetchedAt: 0,
      failures: 0,
    };
    this.#state.set(namespace, state);
    try {
      const { list, etag } = await this.#service.list(namespace, state.etag);
      const complete = list ? await this.#apply(namespace, state, list.items) : true;
      // A secret that did not open is retried on the next poll, so ask for the full list then.
      if (etag === undefined || !complete) delete state.etag;
      else state.etag = etag;
      state.fetchedAt = Date.now();
      if (state.failures > 0) {
        this.#logger.info({ namespace, failures: state.failures }, 'config.client.recovered');
      }
      state.failures = 0;
      return true;
    } catch (error) {
      state.failures += 1;
      this.#metrics?.count('config.client.fetch_errors', 1, { namespace });
      this.#logger.warn(
        {
          namespace,
          error: describe(error),
          failures: state.failures,
          servingStale: state.fetchedAt > 0,
          lastSuccessAt: state.fetchedAt > 0 ? new Date(state.fetchedAt).toISOString() : null,
        },
        'config.client.fetch_failed',
      );
      return false;
    }
  }

  /** Update the cache from a listing; false when some secret could not be opened. */
  async #apply(namespace: string, state: NamespaceState, items: ConfigItem[]): Promise<boolean> {
    const changes: ConfigChange[] = [];
    const seen = new Set<string>();
    let complete = true;
    for (const item of items) {
      seen.add(item.key);
      const cached = state.entries.get(item.key);
      if (cached && cached.version === item.version) continue;
      let value = item.value;
      if (item.secret) {
        value = await this.#open(item);
        // Not cached under this version, so the next poll tries again; meanwhile the last
        // good value (if any) stays.
        if (value === undefined) {
          complete = false;
          continue;
        }
      }
      state.entries.set(item.key, { version: item.version, value });
      changes.push({
        namespace,
        key: item.key,
        value,
        previous: cached?.value,
        version: item.version,
      });
    }
    for (const [key, cached] of state.entries) {
      if (seen.has(key)) continue;
      state.entries.delete(key);
      changes.push({ namespace, key, value: undefined, previous: cached.value, version: 0 });
    }
    for (const change of changes) this.#notify(change);
    return complete;
  }

  /** The opened secret, or undefined (logged) when it cannot be opened. */
  async #open(item: ConfigItem): Promise<unknown> {
    const where = { namespace: item.namespace, key: item.key, version: item.version };
    if (!this.#cipher) {
      // Once per key and version: without a cipher every poll would say the same thing.
      const id = `${item.namespace}/${item.key}@${item.version}`;
      if (!this.#warned.has(id)) this.#logger.warn(where, 'config.client.no_cipher');
      this.#warned.add(id);
      return undefined;
    }
    try {
      return await openJson(this.#cipher, item.envelope, secretAad(item.namespace, item.key));
    } catch (error) {
      this.#metrics?.count('config.client.decrypt_errors', 1, { namespace: item.namespace });
      this.#logger.warn({ ...where, error: describe(error) }, 'config.client.decrypt_failed');
      return undefined;
    }
  }

  #notify(change: ConfigChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        this.#logger.warn(
          { key: change.key, error: describe(error) },
          'config.client.listener_failed',
        );
      }
    }
  }
}
