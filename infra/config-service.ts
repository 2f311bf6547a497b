import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  type CfnStage,
  LambdaIntegration,
  MethodLoggingLevel,
  type RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type Grant, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { configTableDefinition } from '../src/adapters/aws/config-table.ts';
import { CONFIG_LAMBDA_ENV } from '../src/runtime/lambda/config-lambda.ts';
import { ShortlineFunction } from './lambda-function.ts';
import type { StageSettings } from './stages.ts';

export interface ConfigServiceProps {
  settings: StageSettings;
  /** The REST API that gets the `/config` routes (the shortener's). */
  api: RestApi;
}

// The key schema the adapter and the emulator tests use, so the deployed table cannot drift.
const definition = configTableDefinition('unused');
const keyAttribute = (type: 'HASH' | 'RANGE') => {
  const name = definition.KeySchema?.find((k) => k.KeyType === type)?.AttributeName;
  if (!name) throw new Error(`configTableDefinition has no ${type} key`);
  return { name, type: AttributeType.STRING };
};

/**
 * The central config service on AWS: its DynamoDB table (values, audit lines, API keys), a
 * customer-managed KMS key that seals secrets, and the config Lambda behind `/config` and
 * `/config/{proxy+}` on the given REST API, never cached by the stage cache.
 *
 * The function may read and write that table and call `kms:GenerateDataKey` on the key; it
 * has no `kms:Decrypt` (it never opens a secret). Functions that read secrets get
 * `kms:Decrypt` through {@link ShortlineConfigService.grantSecretRead}.
 *
 * @example
 * const config = new ShortlineConfigService(this, 'Config', { settings, api: shortener.api });
 * config.grantSecretRead(myReader.role);
 */
export class ShortlineConfigService extends Construct {
  readonly table: TableV2;
  /** Wraps the data key of every secret; whoever may `kms:Decrypt` with it reads secrets. */
  readonly key: Key;
  readonly handler: ShortlineFunction;

  constructor(scope: Construct, id: string, props: ConfigServiceProps) {
    super(scope, id);
    const { settings, api } = props;
    const removalPolicy = settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.table = new TableV2(this, 'Table', {
      partitionKey: keyAttribute('HASH'),
      sortKey: keyAttribute('RANGE'),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: settings.retainData,
      removalPolicy,
    });
    // Deleting the key makes every stored secret unreadable: it lives as long as the table.
    this.key = new Key(this, 'SecretsKey', {
      enableKeyRotation: true,
      alias: `alias/shortline-config-${settings.stage}`,
      description: `shortline ${settings.stage}: wraps the data keys of config secrets`,
      removalPolicy,
      pendingWindow: Duration.days(30),
    });
    this.handler = new ShortlineFunction(this, 'Handler', {
      entry: 'config',
      settings,
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: {
        [CONFIG_LAMBDA_ENV.table]: this.table.tableName,
        [CONFIG_LAMBDA_ENV.kmsKeyId]: this.key.keyArn,
        LOG_LEVEL: 'info',
      },
    });

    // Least privilege: exactly the calls DynamoDbConfigStore makes (no index, no Scan, no
    // batch or delete: a deleted value is a tombstone written with PutItem/UpdateItem), and
    // the one KMS call KmsCipher.encrypt makes.
    this.handler.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
        resources: [this.table.tableArn],
      }),
    );
    this.key.grant(this.handler.role, 'kms:GenerateDataKey');

    const integration = new LambdaIntegration(this.handler.fn);
    const config = api.root.addResource('config');
    config.addMethod('ANY', integration);
    config.addProxy({ anyMethod: true, defaultIntegration: integration });
    neverCache(api, settings);
  }

  /**
   * Let `grantee` open secrets: `kms:Decrypt` on the secrets key. A reader still needs a
   * config API key with `read:<namespace>` to fetch the envelopes from the service.
   *
   * @example
   * config.grantSecretRead(processor.role);
   */
  grantSecretRead(grantee: IGrantable): Grant {
    return this.key.grantDecrypt(grantee);
  }
}

/**
 * Turn the stage cache off on the config routes explicitly. The cache key does not include
 * `x-api-key`, so a cached answer would go to any caller. Settings on a method beat the
 * stage-wide defaults, so this holds even if the stage later caches everything. Throttling and
 * logging are repeated because a method's settings do not inherit the stage-wide ones.
 */
function neverCache(api: RestApi, settings: StageSettings): void {
  const stage = api.deploymentStage.node.defaultChild as CfnStage;
  const existing = stage.methodSettings;
  if (existing !== undefined && !Array.isArray(existing)) {
    throw new Error('the API stage method settings are not a plain list');
  }
  const uncached = ['/~1config', '/~1config~1{proxy+}'].map((resourcePath) => ({
    resourcePath,
    httpMethod: '*',
    cachingEnabled: false,
    loggingLevel: MethodLoggingLevel.ERROR,
    dataTraceEnabled: false,
    throttlingRateLimit: settings.throttle.rateLimit,
    throttlingBurstLimit: settings.throttle.burstLimit,
  }));
  stage.methodSettings = [...(existing ?? []), ...uncached];
}
