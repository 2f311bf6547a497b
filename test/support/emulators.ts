import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
import kinesalite from 'kinesalite';

/** Static dummy credentials: the emulators check the signature's shape, not its secret. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
export const EMULATOR_REGION = 'us-east-1';

/** Which emulators to start; all by default. */
export interface EmulatorOptions {
  dynamodb?: boolean;
  kinesis?: boolean;
  sqs?: boolean;
}

/** Running emulators with AWS SDK v3 clients pointed at them. */
export interface Emulators {
  endpoints: { dynamodb?: string; kinesis?: string; sqs?: string };
  dynamodb: DynamoDBClient;
  /** Document client over `dynamodb` (marshalls plain JS objects). */
  doc: DynamoDBDocumentClient;
  kinesis: KinesisClient;
  sqs: SQSClient;
  sns: SNSClient;
  /** Destroy the clients and stop every emulator started. */
  stop(): Promise<void>;
}

/** The client options every SDK client needs to talk to an emulator at `endpoint`. */
export function emulatorClientConfig(endpoint: string) {
  return { endpoint, region: EMULATOR_REGION, credentials: EMULATOR_CREDENTIALS, maxAttempts: 2 };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Start dynalite, kinesalite and fauxqs in this process on 127.0.0.1 random ports, and return
 * AWS SDK v3 clients configured for them. Clients for an emulator not started still exist but
 * point nowhere (endpoint 127.0.0.1:9): using them fails fast.
 *
 * @example
 * let aws: Emulators;
 * beforeAll(async () => { aws = await startEmulators({ kinesis: false }); });
 * afterAll(() => aws.stop());
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const { dynamodb = true, kinesis = true, sqs = true } = options;
  const stops: Array<() => Promise<void>> = [];
  const endpoints: Emulators['endpoints'] = {};
  try {
    if (dynamodb) {
      // Tables become ACTIVE at once: tests create their own tables and must not wait.
      const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
      endpoints.dynamodb = await listen(server);
      stops.push(() => close(server));
    }
    if (kinesis) {
      const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
      endpoints.kinesis = await listen(server);
      stops.push(() => close(server));
    }
    if (sqs) {
      const server = await startFauxqs({ port: 0, logger: false, host: 'localhost' });
      endpoints.sqs = server.address.replace('localhost', '127.0.0.1');
      stops.push(() => server.stop());
    }
  } catch (error) {
    await Promise.allSettled(stops.map((stop) => stop()));
    throw error;
  }
  const nowhere = 'http://127.0.0.1:9';
  const dynamoClient = new DynamoDBClient(emulatorClientConfig(endpoints.dynamodb ?? nowhere));
  const doc = DynamoDBDocumentClient.from(dynamoClient, {
    marshallOptions: { removeUndefinedValues: true },
  });
  // Kinesis defaults to an HTTP/2 handler for SubscribeToShard, which kinesalite cannot speak.
  const kinesisClient = new KinesisClient({
    ...emulatorClientConfig(endpoints.kinesis ?? nowhere),
    requestHandler: new NodeHttpHandler(),
  });
  const sqsClient = new SQSClient(emulatorClientConfig(endpoints.sqs ?? nowhere));
  const snsClient = new SNSClient(emulatorClientConfig(endpoints.sqs ?? nowhere));
  const clients = [doc, dynamoClient, kinesisClient, sqsClient, snsClient];
  return {
    endpoints,
    dynamodb: dynamoClient,
    doc,
    kinesis: kinesisClient,
    sqs: sqsClient,
    sns: snsClient,
    async stop() {
      for (const client of clients) client.destroy();
      await Promise.allSettled(stops.map((stop) => stop()));
    },
  };
}
