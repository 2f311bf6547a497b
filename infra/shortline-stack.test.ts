import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidAlphabet } from '../src/shortener/codes.ts';
import { seededAlphabet } from './shortline-stack.ts';
import { StageError, stageSettings } from './stages.ts';
import { type SynthesizedApp, synthesizeApp } from './synth-for-tests.ts';

// One synth for the whole file: bundling the four functions is the slow part.
let template: Template;
let synthError: unknown;
let synth: SynthesizedApp | undefined;
beforeAll(() => {
  synth = synthesizeApp('prod');
  ({ template, synthError } = synth);
}, 180_000);
afterAll(() => synth?.cleanup());

describe('CDK app, prod stage', () => {
  it('passes cdk-nag AwsSolutions with every acknowledgement reasoned', () => {
    expect(synthError).toBeUndefined();
  });

  it('has an on-demand links table keyed by URL hash with the byCode index', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'byCode',
          KeySchema: [{ AttributeName: 'code', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        }),
      ],
    });
  });

  it('has an encrypted Kinesis stream with the prod shard count', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 2,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  it('maps Kinesis to the processor with partial batch failures, bisect, retries and record age', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: Match.objectLike({
        'Fn::GetAtt': Match.arrayWith([Match.stringLikeRegexp('Events')]),
      }),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 1000,
      MaximumRecordAgeInSeconds: 86_400,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('has a retry queue redriving to its DLQ after maxReceives, consumed with partial batch responses', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 3 },
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: Match.objectLike({
        'Fn::GetAtt': Match.arrayWith([Match.stringLikeRegexp('Retry')]),
      }),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('caches GET on short paths at the API Gateway stage, keyed by the path', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      CacheClusterEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: '/~1{proxy+}',
          HttpMethod: 'GET',
          CachingEnabled: true,
          CacheTtlInSeconds: 300,
        }),
      ]),
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      Integration: Match.objectLike({ CacheKeyParameters: ['method.request.path.proxy'] }),
    });
  });

  it('bundles every function for a current Node runtime, without Docker', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const ours = Object.values(functions).filter((f) => f.Properties.Handler === 'index.handler');
    expect(ours).toHaveLength(4);
    for (const f of ours) expect(f.Properties.Runtime).toBe('nodejs24.x');
  });

  it('alarms on dead letters, discarded batches, iterator age and API errors, and has a dashboard', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const metrics = alarms.map((a) => a.Properties.MetricName).sort();
    expect(metrics).toEqual(
      [
        '5XXError',
        'ApproximateNumberOfMessagesVisible',
        'ApproximateNumberOfMessagesVisible',
        'IteratorAge',
      ].sort(),
    );
    for (const a of alarms) expect(a.Properties.AlarmActions).toHaveLength(1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('grants no wildcard actions and no table-wide access beyond the calls made', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const actions = policies.flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>).flatMap((s) =>
        [s.Action].flat(),
      ),
    );
    expect(actions.filter((a) => a.endsWith('*') && !a.startsWith('kms:GenerateDataKey'))).toEqual(
      [],
    );
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:BatchWriteItem');
  });
});

describe('stages and nag wiring', () => {
  it('accepts exactly dev, test, staging and prod', () => {
    for (const stage of ['dev', 'test', 'staging', 'prod'])
      expect(stageSettings(stage).stage).toBe(stage);
    expect(() => stageSettings('qa')).toThrow(StageError);
  });

  it('fails the synth on an unacknowledged cdk-nag finding', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'shortline-nag-')) });
    new Queue(new Stack(app, 'Bad'), 'NoDlqNoSsl');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });

  it('derives a stable, valid code alphabet per stack', () => {
    expect(isValidAlphabet(seededAlphabet('shortline/shortline-prod'))).toBe(true);
    expect(seededAlphabet('a')).toBe(seededAlphabet('a'));
    expect(seededAlphabet('a')).not.toBe(seededAlphabet('b'));
  });
});
