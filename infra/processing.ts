import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LAMBDA_ENV } from '../src/runtime/lambda/settings.ts';
import type { ShortlineData } from './data.ts';
import { ShortlineFunction } from './lambda-function.ts';
import type { StageSettings } from './stages.ts';

export interface ProcessorProps {
  /** Processor name, as in src/runtime/lambda/processors.ts. */
  name: string;
  /** Retry-queue deliveries before SQS moves a message to the DLQ (the processor's maxReceives). */
  maxReceives: number;
  data: ShortlineData;
  settings: StageSettings;
}

/**
 * One processor on AWS: its Lambda on a Kinesis event source mapping, its SQS retry queue
 * (with a redrive policy to its DLQ) and the retry worker Lambda on that queue.
 */
export class ShortlineProcessor extends Construct {
  readonly processor: ShortlineFunction;
  readonly retryWorker: ShortlineFunction;
  readonly retryQueue: Queue;
  readonly deadLetterQueue: Queue;
  /** Metadata of batches the event source mapping gave up on (Lambda sends no record data). */
  readonly discarded: Queue;

  constructor(scope: Construct, id: string, props: ProcessorProps) {
    super(scope, id);
    const { data, settings } = props;
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the retry queue; an alarm watches its depth.',
    });
    this.retryQueue = new Queue(this, 'Retry', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Longer than the retry worker's timeout, as Lambda requires for an SQS source.
      visibilityTimeout: Duration.seconds(60),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceives },
    });
    this.discarded = new Queue(this, 'Discarded', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.discarded).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'On-failure destination of the Kinesis mapping (a dead-letter target itself); an alarm watches its depth.',
    });
    const environment = {
      [LAMBDA_ENV.processor]: props.name,
      [LAMBDA_ENV.linksTable]: data.table.tableName,
      [LAMBDA_ENV.retryQueueUrl]: this.retryQueue.queueUrl,
      [LAMBDA_ENV.deadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
    };
    this.processor = new ShortlineFunction(this, 'Processor', {
      entry: 'processor',
      settings,
      environment,
    });
    this.processor.fn.addEventSource(
      new KinesisEventSource(data.stream, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        // `halt` retries the failed record until it succeeds or is older than maxRecordAge (the
        // kit dead-letters it first, whole). The mapping's own limits are the backstop.
        retryAttempts: 1_000,
        maxRecordAge: Duration.hours(24),
        onFailure: new SqsDlq(this.discarded),
        parallelizationFactor: 1,
      }),
    );
    this.retryWorker = new ShortlineFunction(this, 'RetryWorker', {
      entry: 'retry-worker',
      settings,
      environment,
      timeout: Duration.seconds(20),
    });
    this.retryWorker.fn.addEventSource(
      new SqsEventSource(this.retryQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );

    // Least privilege: the visit counter updates its counter items, nothing else.
    const countVisits = new PolicyStatement({
      actions: ['dynamodb:UpdateItem'],
      resources: [data.table.tableArn],
    });
    this.processor.role.addToPolicy(countVisits);
    this.retryWorker.role.addToPolicy(countVisits);
    this.retryQueue.grantSendMessages(this.processor.role);
    this.deadLetterQueue.grantSendMessages(this.processor.role);
    this.deadLetterQueue.grantSendMessages(this.retryWorker.role);
    this.retryWorker.role.addToPolicy(
      new PolicyStatement({
        actions: ['sqs:ChangeMessageVisibility'],
        resources: [this.retryQueue.queueArn],
      }),
    );
  }
}
