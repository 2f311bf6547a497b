import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';
import type { HeaderSource } from '../context/index.ts';

/** What @hono/node-server puts in `c.env` (its `HttpBindings`). */
interface NodeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

function nodeBindings(c: Context): NodeBindings | undefined {
  const env = c.env as Partial<NodeBindings> | undefined;
  return env?.incoming?.headers !== undefined && typeof env.outgoing?.setHeader === 'function'
    ? (env as NodeBindings)
    : undefined;
}

// On @hono/node-server the first look at `c.req.raw.headers` builds a web `Headers` from the
// node request, and changing `c.res.headers` builds one for the response: together about
// 20 µs of a redirect that otherwise costs about 90. These helpers use the node objects when
// the runtime has them and the web ones everywhere else (Lambda, `app.request` in tests).

/**
 * The request's headers in the cheapest form the runtime has: node's header object (names in
 * lower case) or the web `Headers`.
 *
 * @example
 * const context = contextFromHeaders(requestHeaders(c));
 */
export function requestHeaders(c: Context): HeaderSource {
  return nodeBindings(c)?.incoming.headers ?? c.req.raw.headers;
}

/**
 * One request header (`name` in lower case), without building web `Headers` where avoidable.
 *
 * @example
 * const userAgent = requestHeader(c, 'user-agent');
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = nodeBindings(c)?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Add a header to the response before the handler makes it, where the runtime allows (node's
 * `setHeader`, merged into whatever the handler answers). Returns false elsewhere: then set it
 * on `c.res` after the handler.
 *
 * @example
 * if (!presetResponseHeader(c, 'x-correlation-id', id)) after.push(() => c.res.headers.set(...));
 */
export function presetResponseHeader(c: Context, name: string, value: string): boolean {
  const outgoing = nodeBindings(c)?.outgoing;
  if (!outgoing || outgoing.headersSent) return false;
  outgoing.setHeader(name, value);
  return true;
}
