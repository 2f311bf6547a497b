import { getConnInfo } from 'hono/aws-lambda';
import { DynamoDbLinkStats } from '../../adapters/aws/dynamodb-link-stats.ts';
import { DynamoDbLinkStore } from '../../adapters/aws/dynamodb-link-store.ts';
import { KinesisStreamProducer } from '../../adapters/aws/kinesis-producer.ts';
import { createObservability } from '../../kit/http/index.ts';
import { StreamEventPublisher } from '../../shortener/stream-event-publisher.ts';
import { composeShortener } from '../compose.ts';
import { loadConfig } from '../config.ts';
import { createApiHandler } from './api-handler.ts';
import type { AwsClients } from './clients.ts';
import { LAMBDA_ENV, LambdaConfigError, requireEnv } from './settings.ts';

/**
 * The shortener API on Lambda: the same composed app as `npm start`, on DynamoDB, publishing
 * events to Kinesis. Configuration is the usual SHORTLINE_* environment plus the resource
 * names the CDK app sets.
 *
 * @example
 * export const handler = createApiLambda(process.env, { dynamodb, kinesis }).handler;
 */
export function createApiLambda(
  env: NodeJS.ProcessEnv,
  clients: Pick<AwsClients, 'dynamodb' | 'kinesis'>,
) {
  const config = loadConfig({ env, file: undefined });
  if (!config.codeAlphabet) {
    throw new LambdaConfigError(
      'SHORTLINE_CODE_ALPHABET is required on Lambda (no data dir to keep one in)',
    );
  }
  const tableName = requireEnv(env, LAMBDA_ENV.linksTable);
  const streamName = requireEnv(env, LAMBDA_ENV.eventsStream);
  const store = new DynamoDbLinkStore({ client: clients.dynamodb, tableName });
  const producer = new KinesisStreamProducer({
    client: clients.kinesis,
    streamName: () => streamName,
  });
  const events = new StreamEventPublisher({ producer, stream: 'links' });
  const stats = new DynamoDbLinkStats({ client: clients.dynamodb, tableName });
  // Logs as JSON lines and metrics as log lines (METRICS_FORMAT, e.g. emf for CloudWatch), turned
  // into metrics after the fact: nothing on the request path waits for a metrics service.
  const { logger, metrics, debugSampleRate } = createObservability({ name: 'shortline-api', env });
  const { app } = composeShortener({
    config,
    store,
    alphabet: config.codeAlphabet,
    events,
    stats,
    observability: { logger, metrics, debugSampleRate },
    connInfo: getConnInfo,
  });
  // A frozen Lambda sends nothing: events and buffered metric lines go out before returning.
  const flush = async () => {
    await Promise.all([events.flush(), metrics.flush()]);
  };
  return { handler: createApiHandler(app, flush), app, events, store, logger };
}
