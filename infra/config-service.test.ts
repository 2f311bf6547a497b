import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShortlineConfigService } from './config-service.ts';
import { stageSettings } from './stages.ts';
import { type SynthesizedApp, synthesizeApp } from './synth-for-tests.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
type Resources = Record<string, { Properties: Record<string, unknown> }>;

const statementsOf = (policies: Resources): Statement[] =>
  Object.values(policies).flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
const actionsOf = (s: Statement) => [s.Action].flat();
/** The logical ids a CloudFormation value refers to (Ref / Fn::GetAtt), anywhere inside it. */
const refsIn = (value: unknown): string[] =>
  JSON.stringify(value).match(/"(Ref|Fn::GetAtt)":\s*\[?"[^"]+"/g) ?? [];
const logicalIdsIn = (value: unknown) => refsIn(value).map((r) => r.replace(/.*"([^"]+)"$/, '$1'));

// One synth of the whole prod app (cdk-nag on, functions bundled): the stage with the cache.
let template: Template;
let synthError: unknown;
let synth: SynthesizedApp | undefined;
beforeAll(() => {
  synth = synthesizeApp('prod');
  ({ template, synthError } = synth);
}, 180_000);
afterAll(() => synth?.cleanup());

const configTableId = () => {
  const tables = template.findResources('AWS::DynamoDB::GlobalTable', {
    Properties: { KeySchema: Match.arrayWith([{ AttributeName: 'sk', KeyType: 'RANGE' }]) },
  });
  const ids = Object.keys(tables);
  expect(ids).toHaveLength(1);
  return ids[0] as string;
};
const keyId = () => {
  const keys = template.findResources('AWS::KMS::Key', {
    Properties: { Description: Match.stringLikeRegexp('config secrets') },
  });
  const ids = Object.keys(keys);
  expect(ids).toHaveLength(1);
  return ids[0] as string;
};
const configFunction = () => {
  const fns = template.findResources('AWS::Lambda::Function', {
    Properties: {
      Environment: { Variables: Match.objectLike({ SHORTLINE_CONFIG_TABLE: Match.anyValue() }) },
    },
  });
  const entries = Object.entries(fns);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, { Properties: Record<string, unknown> }];
};
const configRolePolicies = (): Resources => {
  const [, fn] = configFunction();
  const roleId = logicalIdsIn(fn.Properties.Role)[0];
  expect(roleId).toBeDefined();
  return template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  }) as Resources;
};

describe('config service on AWS (prod stage)', () => {
  it('synthesises with cdk-nag AwsSolutions and no unacknowledged finding', () => {
    expect(synthError).toBeUndefined();
  });

  it('has an on-demand config table keyed pk/sk, with point-in-time recovery, kept in prod', () => {
    const id = configTableId();
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      }),
      DeletionPolicy: 'Retain',
    });
    expect(id).toMatch(/Config/);
  });

  it('has a customer-managed secrets key with rotation and a per-stage alias, kept in prod', () => {
    const id = keyId();
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/shortline-config-prod',
      TargetKeyId: { 'Fn::GetAtt': [id, 'Arn'] },
    });
  });

  it('points the function at the config table and the secrets key', () => {
    const [, fn] = configFunction();
    const vars = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(logicalIdsIn(vars.SHORTLINE_CONFIG_TABLE)).toEqual([configTableId()]);
    expect(logicalIdsIn(vars.SHORTLINE_CONFIG_KMS_KEY_ID)).toEqual([keyId()]);
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
  });

  it('gives the function only item calls on its own table and GenerateDataKey, no Decrypt', () => {
    const statements = statementsOf(configRolePolicies());
    const actions = statements.flatMap(actionsOf);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions).not.toContain('kms:Decrypt');
    expect(actions).toContain('kms:GenerateDataKey');
    for (const s of statements.filter((st) =>
      actionsOf(st).some((a) => a.startsWith('dynamodb:')),
    )) {
      expect(logicalIdsIn(s.Resource)).toEqual([configTableId()]);
      // The table ARN itself: no `/index/*` or other wildcard resource.
      expect(JSON.stringify(s.Resource)).not.toContain('*');
    }
    const kms = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
    expect(kms.flatMap(actionsOf)).toEqual(['kms:GenerateDataKey']);
    for (const s of kms) expect(logicalIdsIn(s.Resource)).toEqual([keyId()]);
  });

  it('routes /config and /config/{proxy+} to the config function, outside the stage cache', () => {
    const [fnId] = configFunction();
    const resources = template.findResources('AWS::ApiGateway::Resource');
    const configResource = Object.entries(resources).find(
      ([, r]) => r.Properties.PathPart === 'config',
    );
    expect(configResource).toBeDefined();
    const [configResId] = configResource as [string, unknown];
    const proxy = Object.entries(resources).find(
      ([, r]) =>
        r.Properties.PathPart === '{proxy+}' &&
        logicalIdsIn(r.Properties.ParentId).includes(configResId),
    );
    expect(proxy).toBeDefined();
    const [proxyId] = proxy as [string, unknown];
    for (const resourceId of [configResId, proxyId]) {
      const methods = template.findResources('AWS::ApiGateway::Method', {
        Properties: { ResourceId: { Ref: resourceId }, HttpMethod: 'ANY' },
      });
      const [method] = Object.values(methods);
      expect(method).toBeDefined();
      expect(logicalIdsIn(method?.Properties.Integration)).toContain(fnId);
    }
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      CacheClusterEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ResourcePath: '/~1config', HttpMethod: '*', CachingEnabled: false }),
        Match.objectLike({
          ResourcePath: '/~1config~1{proxy+}',
          HttpMethod: '*',
          CachingEnabled: false,
          ThrottlingRateLimit: 1_000,
          ThrottlingBurstLimit: 2_000,
        }),
      ]),
    });
  });

  it('outputs the config URL, table and key', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ConfigUrl', 'ConfigTable', 'ConfigKmsKeyId']),
    );
  });
});

describe('grantSecretRead', () => {
  it('gives a reader kms:Decrypt on the secrets key, and nothing else', () => {
    // Bundling skipped: only the policies matter here, and bundling is the slow part.
    const app = new App({
      outdir: mkdtempSync(join(tmpdir(), 'shortline-config-grant-')),
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    const stack = new Stack(app, 'Grant');
    const api = new RestApi(stack, 'Api');
    const config = new ShortlineConfigService(stack, 'Config', {
      settings: stageSettings('dev'),
      api,
    });
    const reader = new Role(stack, 'Reader', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    config.grantSecretRead(reader);
    const t = Template.fromStack(stack);
    const readerPolicies = t.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: stack.getLogicalId(reader.node.defaultChild as CfnElement) }] },
    }) as Resources;
    const statements = statementsOf(readerPolicies);
    expect(statements.flatMap(actionsOf)).toEqual(['kms:Decrypt']);
    expect(logicalIdsIn(statements[0]?.Resource)).toEqual([
      stack.getLogicalId(config.key.node.defaultChild as CfnElement),
    ]);
    // dev: nothing retained, so the key is scheduled for deletion with the stack.
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/shortline-config-dev' });
  });
});
