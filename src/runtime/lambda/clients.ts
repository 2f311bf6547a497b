import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** The SDK clients the Lambda functions use; tests pass emulator clients instead. */
export interface AwsClients {
  dynamodb: DynamoDBClient;
  kinesis: KinesisClient;
  sqs: SQSClient;
}

/**
 * Clients for the function's own region and credentials, created once per cold start and
 * reused across invocations (keep-alive connections). Kinesis gets the HTTP/1.1 handler:
 * PutRecords needs nothing more, and the same code then also talks to kinesalite.
 */
export function defaultClients(): AwsClients {
  return {
    dynamodb: new DynamoDBClient({}),
    kinesis: new KinesisClient({ requestHandler: new NodeHttpHandler() }),
    sqs: new SQSClient({}),
  };
}
