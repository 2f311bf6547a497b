import type { Context } from 'aws-lambda';
import type { Hono } from 'hono';
import type { LambdaEvent } from 'hono/aws-lambda';
import { handle } from 'hono/aws-lambda';

/**
 * The Lambda entry for a hono app. hono's adapter picks the event processor (API Gateway REST
 * v1, HTTP API v2, ALB) from the event shape; after the response is built, `flush` sends the
 * events the request published, since a frozen Lambda process sends nothing.
 *
 * @example
 * export const handler = createApiHandler(app, () => events.flush());
 */
export function createApiHandler(
  // biome-ignore lint/suspicious/noExplicitAny: any hono app, whatever its env and schema
  app: Hono<any, any, any>,
  flush: () => Promise<void> = async () => {},
) {
  const handler = handle(app);
  return async function apiHandler(event: LambdaEvent, context?: Context) {
    try {
      return await handler(event, context);
    } finally {
      await flush();
    }
  };
}
