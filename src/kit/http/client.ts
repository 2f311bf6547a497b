import { contextToHeaders, currentContext } from '../context/index.ts';

/** The `fetch` signature the client wraps and returns. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A `fetch` that forwards the current context: every `x-correlation-*` id, the original
 * caller's `User-Agent`, and `debug-log-enabled: true` for a sampled request. Headers the
 * caller sets explicitly win.
 *
 * @example
 * const http = createHttpClient();
 * await http('https://config.internal/values/x'); // carries this request's x-correlation-id
 */
export function createHttpClient({ fetch = globalThis.fetch }: { fetch?: Fetch } = {}): Fetch {
  return function fetchWithContext(input, init) {
    const forward = contextToHeaders(currentContext());
    const names = Object.keys(forward);
    if (names.length === 0) return fetch(input, init);
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    for (const [name, value] of new Headers(init?.headers)) headers.set(name, value);
    for (const name of names) {
      const value = forward[name];
      if (value !== undefined && !headers.has(name)) headers.set(name, value);
    }
    return fetch(input, { ...init, headers });
  };
}
