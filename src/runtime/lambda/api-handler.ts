import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { Hono } from 'hono';
import type { LambdaEvent } from 'hono/aws-lambda';
import { handle } from 'hono/aws-lambda';
import { contextFromHeaders, currentContext, runWithContext } from '../../kit/context/index.ts';

/**
 * The Lambda entry for a hono app. hono's adapter picks the event processor (API Gateway REST
 * v1, HTTP API v2, ALB) from the event shape. Each request runs in its own correlation
 * context taken from its headers (unless the app already set one), so the events it publishes
 * carry it. After the response is built, `flush` sends those events: a frozen Lambda process
 * sends nothing.
 *
 * @example
 * export const handler = createApiHandler(app, () => events.flush());
 */
export function createApiHandler(
  // biome-ignore lint/suspicious/noExplicitAny: any hono app, whatever its env and schema
  app: Hono<any, any, any>,
  flush: () => Promise<void> = async () => {},
) {
  const root = new Hono();
  root.use(async (c, next) => {
    if (currentContext()) return next();
    return runWithContext(contextFromHeaders(c.req.raw.headers), next);
  });
  root.route('/', app);
  const handler = handle(root);
  return async function apiHandler(
    event: APIGatewayProxyEvent | APIGatewayProxyEventV2,
    context?: Context,
  ) {
    try {
      // hono declares its own event types; @types/aws-lambda's are what callers hold.
      return await handler(event as unknown as LambdaEvent, context);
    } finally {
      await flush();
    }
  };
}
