import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** Options of {@link limitBody}. */
export interface LimitBodyOptions {
  /** Largest accepted body, in bytes. */
  maxBytes: number;
  /** Answer (or throw) for a body over the limit. */
  onTooLarge: (c: Context) => Response | Promise<Response>;
}

const DIGITS = /^\d+$/;

/**
 * Cap request bodies at `maxBytes`. A body with a `Content-Length` (and no
 * `Transfer-Encoding`) is judged by that header alone: the HTTP parser never delivers more
 * than it declares, and leaving the body unread keeps the runtime's fast body reader. On
 * @hono/node-server, reading a body through hono's `bodyLimit` turns the request into a full
 * web `Request` with a stream, which measured about 350 µs of a 700 µs create. A body without
 * a declared length (chunked) is counted as it streams, by hono's `bodyLimit`.
 *
 * @example
 * app.use('/upload', limitBody({ maxBytes: 8192, onTooLarge: (c) => c.json({ error: 'too large' }, 413) }));
 */
export function limitBody(options: LimitBodyOptions): MiddlewareHandler {
  const { maxBytes, onTooLarge } = options;
  const streamed = bodyLimit({ maxSize: maxBytes, onError: onTooLarge });
  return async function limitBody(c, next) {
    const declared = c.req.header('content-length')?.trim();
    if (declared !== undefined && DIGITS.test(declared) && !c.req.header('transfer-encoding')) {
      if (Number(declared) > maxBytes) return onTooLarge(c);
      await next();
      return;
    }
    return streamed(c, next);
  };
}
