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

// One client per cold start, reused across invocations (keep-alive connections), in the
// function's own region and credentials. Separate factories, so a bundle carries only the
// clients its entry creates.

export const dynamoDbClient = () => new DynamoDBClient({});

/** Kinesis on the HTTP/1.1 handler: PutRecords needs no more, and kinesalite needs it. */
export const kinesisClient = () => new KinesisClient({ requestHandler: new NodeHttpHandler() });

export const sqsClient = () => new SQSClient({});
