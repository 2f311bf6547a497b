import type {
  IncomingMessage,
  OutgoingHttpHeader,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import type { Context } from 'hono';

/** What @hono/node-server passes as the app's env, `c.env` (its `HttpBindings`). */
export interface NodeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

/**
 * node's request and response, when the runtime passed them as the app's env (@hono/node-server
 * does); undefined elsewhere (Lambda, `app.request` in tests).
 *
 * @example
 * const headers = nodeBindingsOf(env)?.incoming.headers ?? request.headers;
 */
export function nodeBindingsOf(env: unknown): NodeBindings | undefined {
  const bindings = env as Partial<NodeBindings> | undefined;
  return bindings?.incoming?.headers !== undefined &&
    typeof bindings.outgoing?.setHeader === 'function'
    ? (bindings as NodeBindings)
    : undefined;
}

// On @hono/node-server the first look at `c.req.raw.headers` builds a web `Headers` from the
// node request, and changing `c.res.headers` builds one for the response: together about
// 20 µs of a redirect that otherwise costs about 90. Read node's objects where the runtime has
// them, and the web ones everywhere else.

/**
 * One request header (`name` in lower case), without building web `Headers` where avoidable.
 *
 * @example
 * const userAgent = requestHeader(c, 'user-agent');
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = nodeBindingsOf(c.env)?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Send one more header with the response node is about to write, by adding it to what
 * `writeHead` is given. `setHeader` would do the same, but a response with headers set that
 * way takes node's slower `writeHead`: 6 µs or more per redirect in the server's profiles. A
 * header of the same name in the app's header object wins.
 *
 * @example
 * if (bindings) addHeaderOnWriteHead(bindings.outgoing, 'x-correlation-id', id);
 */
export function addHeaderOnWriteHead(outgoing: ServerResponse, name: string, value: string): void {
  (outgoing as HeaderAdding)[ADDED_HEADER] = [name, value, outgoing.writeHead as WriteHead];
  outgoing.writeHead = writeHeadWithAdded as ServerResponse['writeHead'];
}

const ADDED_HEADER = Symbol('added header');
type HeaderArg = OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined;
type WriteHead = (this: ServerResponse, status: number, ...rest: unknown[]) => ServerResponse;
/** The header to add, and the `writeHead` the response had. */
type HeaderAdding = ServerResponse & { [ADDED_HEADER]: [string, string, WriteHead] };

// One function for every response (the header it adds is kept on the response): a closure
// made per request costs more than the header is worth.
function writeHeadWithAdded(
  this: HeaderAdding,
  status: number,
  reasonOrHeaders?: string | HeaderArg,
  headers?: HeaderArg,
): ServerResponse {
  const [name, value, writeHead] = this[ADDED_HEADER];
  return typeof reasonOrHeaders === 'string'
    ? writeHead.call(this, status, reasonOrHeaders, withHeader(headers, name, value))
    : writeHead.call(this, status, withHeader(reasonOrHeaders, name, value));
}

function withHeader(given: HeaderArg, name: string, value: string): HeaderArg {
  if (given === undefined) return { [name]: value };
  if (Array.isArray(given)) return [name, value, ...given];
  return { [name]: value, ...given };
}
