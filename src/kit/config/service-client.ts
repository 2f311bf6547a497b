import { contextToHeaders, currentContext } from '../context/index.ts';
import type { Envelope } from './cipher.ts';
import { ConfigClientError, type ConfigClientErrorCode } from './errors.ts';
import type { ConfigItem, ConfigList } from './wire.ts';

/** Where the config service is and how to reach it. */
export interface ServiceClientOptions {
  /** Base URL; `/config/...` is appended, e.g. `http://127.0.0.1:3000`. */
  url: string;
  apiKey: string;
  /** Per-request timeout. Default 5000 ms. */
  timeoutMs?: number;
  /** Injectable for tests. Default global fetch. */
  fetch?: typeof fetch;
}

/** What a PUT sends: a plain value, a secret to seal server-side, or an envelope sealed here. */
export type PutInput =
  | { value: unknown; secret?: boolean; version?: number }
  | { envelope: Envelope; version?: number };

const CODES: Record<number, ConfigClientErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'version_conflict',
};

/**
 * A thin typed client of the config service REST API, used by the caching client and the
 * CLI. Forwards the current request's correlation ids.
 *
 * @example
 * const service = new ConfigServiceClient({ url: 'http://127.0.0.1:3000', apiKey });
 * const item = await service.get('shortener', 'redirect-max-age');
 */
export class ConfigServiceClient {
  readonly #base: string;
  readonly #apiKey: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: ServiceClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch (error) {
      throw new ConfigClientError('invalid_option', `config URL "${options.url}" is not a URL`, {
        cause: error,
      });
    }
    this.#base = url.toString().replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#fetch = options.fetch ?? fetch;
  }

  /** One value, or undefined when there is none. */
  async get(namespace: string, key: string): Promise<ConfigItem | undefined> {
    const res = await this.#send('GET', `/config/${enc(namespace)}/${enc(key)}`, undefined, [404]);
    return res.status === 404 ? undefined : ((await res.json()) as ConfigItem);
  }

  /**
   * Every value of a namespace. With `etag` (from a previous call) the service may answer
   * "not modified", returned as `undefined`.
   */
  async list(namespace: string, etag?: string): Promise<{ list?: ConfigList; etag?: string }> {
    const headers = etag === undefined ? {} : { 'if-none-match': etag };
    const res = await this.#send('GET', `/config/${enc(namespace)}`, undefined, [304], headers);
    const tag = res.headers.get('etag') ?? undefined;
    const base = tag === undefined ? {} : { etag: tag };
    if (res.status === 304) return base;
    return { ...base, list: (await res.json()) as ConfigList };
  }

  /** Write a value; `version` makes it conditional (0: only if absent). 409 throws. */
  async put(namespace: string, key: string, input: PutInput): Promise<ConfigItem> {
    const res = await this.#send('PUT', `/config/${enc(namespace)}/${enc(key)}`, input);
    return (await res.json()) as ConfigItem;
  }

  /** Delete a value; `version` makes it conditional. */
  async delete(namespace: string, key: string, version?: number): Promise<{ version: number }> {
    const query = version === undefined ? '' : `?version=${version}`;
    const res = await this.#send('DELETE', `/config/${enc(namespace)}/${enc(key)}${query}`);
    return (await res.json()) as { version: number };
  }

  /** The audit trail of a namespace, newest first. */
  async audit(namespace: string, limit = 100): Promise<unknown[]> {
    const res = await this.#send('GET', `/config/${enc(namespace)}/_audit?limit=${limit}`);
    return ((await res.json()) as { entries: unknown[] }).entries;
  }

  /** Create an API key (admin); the answer holds the key itself, shown only this once. */
  async createKey(scopes: string[], description?: string): Promise<Record<string, unknown>> {
    const body = description === undefined ? { scopes } : { scopes, description };
    return (await (await this.#send('POST', '/config/_keys', body)).json()) as Record<
      string,
      unknown
    >;
  }

  async listKeys(): Promise<Array<Record<string, unknown>>> {
    const res = await this.#send('GET', '/config/_keys');
    return ((await res.json()) as { keys: Array<Record<string, unknown>> }).keys;
  }

  async revokeKey(id: string): Promise<void> {
    await this.#send('DELETE', `/config/_keys/${enc(id)}`);
  }

  async #send(
    method: string,
    path: string,
    body?: unknown,
    accept: number[] = [],
    extraHeaders: Record<string, string> = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      ...contextToHeaders(currentContext()),
      ...extraHeaders,
      'x-api-key': this.#apiKey,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const send = () =>
      this.#fetch(`${this.#base}${path}`, {
        method,
        headers,
        signal: AbortSignal.timeout(this.#timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    let res: Response;
    try {
      try {
        res = await send();
      } catch (error) {
        // A kept-alive connection the server closed while idle (a poll every 30 s outlives
        // most keep-alive timeouts) fails at once with a reset: a GET is safe to send again.
        if (method !== 'GET' || !isStaleConnection(error)) throw error;
        res = await send();
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigClientError('unavailable', `config service unreachable: ${reason}`, {
        cause: error,
      });
    }
    if (res.ok || accept.includes(res.status)) return res;
    throw await toError(res);
  }
}

const enc = encodeURIComponent;

/** Whether a fetch failed because its reused connection was already closed by the peer. */
function isStaleConnection(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } } | undefined)?.cause?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
}

async function toError(res: Response): Promise<ConfigClientError> {
  let payload: { error?: { code?: string; message?: string; currentVersion?: number } } = {};
  try {
    payload = (await res.json()) as typeof payload;
  } catch {
    // Not our JSON (a proxy's error page): keep the status only.
  }
  const code = CODES[res.status] ?? (res.status >= 500 ? 'unavailable' : 'bad_response');
  const message = payload.error?.message ?? `config service answered ${res.status}`;
  return new ConfigClientError(code, message, {
    status: res.status,
    ...(payload.error?.code === undefined ? {} : { serviceCode: payload.error.code }),
    ...(typeof payload.error?.currentVersion === 'number'
      ? { currentVersion: payload.error.currentVersion }
      : {}),
  });
}
