import { Aws, Duration, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LINK_TABLE } from '../src/adapters/aws/link-table.ts';
import { LAMBDA_ENV } from '../src/runtime/lambda/settings.ts';
import type { ShortlineData } from './data.ts';
import { ShortlineFunction } from './lambda-function.ts';
import type { StageSettings } from './stages.ts';

export interface ShortlineApiProps {
  data: ShortlineData;
  settings: StageSettings;
  /** The code alphabet (the installation's secret permutation). */
  codeAlphabet: string;
  /** Public base URL of short links; defaults to the API's own execute-api URL. */
  baseUrl?: string;
  /** Redirect `Cache-Control` max-age and stage-cache TTL, seconds. */
  redirectMaxAge: number;
}

/**
 * The shortener API: a REST API (the kind with a stage cache) proxying every path to one
 * Lambda function. In stages with `cacheRedirects`, GET on a short path is cached per path
 * for the redirect max-age; `/api/*` and all other methods always reach the function.
 */
export class ShortlineApi extends Construct {
  readonly api: RestApi;
  readonly handler: ShortlineFunction;

  constructor(scope: Construct, id: string, props: ShortlineApiProps) {
    super(scope, id);
    const { data, settings } = props;
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: settings.logRetentionDays });
    const cache = settings.cacheRedirects;
    this.api = new RestApi(this, 'Api', {
      description: `shortline ${settings.stage}`,
      cloudWatchRole: true,
      deploy: true,
      deployOptions: {
        stageName: settings.stage,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        throttlingRateLimit: settings.throttle.rateLimit,
        throttlingBurstLimit: settings.throttle.burstLimit,
        ...(cache
          ? {
              cacheClusterEnabled: true,
              cacheClusterSize: '0.5',
              cacheDataEncrypted: true,
              methodOptions: {
                '/{proxy+}/GET': {
                  cachingEnabled: true,
                  cacheTtl: Duration.seconds(props.redirectMaxAge),
                },
              },
            }
          : {}),
      },
    });
    // The function's base URL is the stage URL, built from the API id (not `api.url`, which
    // depends on the deployment and so on the function: a cycle).
    const baseUrl =
      props.baseUrl ??
      `https://${this.api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${settings.stage}`;
    this.handler = new ShortlineFunction(this, 'Handler', {
      entry: 'api',
      settings,
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: {
        [LAMBDA_ENV.linksTable]: data.table.tableName,
        [LAMBDA_ENV.eventsStream]: data.stream.streamName,
        SHORTLINE_CODE_ALPHABET: props.codeAlphabet,
        SHORTLINE_BASE_URL: baseUrl,
        SHORTLINE_REDIRECT_MAX_AGE: String(props.redirectMaxAge),
        SHORTLINE_TRUST_PROXY: 'false',
        LOG_LEVEL: 'info',
      },
      copy: [['src/shortener/page/index.html', 'page/index.html']],
    });
    const integration = new LambdaIntegration(this.handler.fn, {
      ...(cache ? { cacheKeyParameters: ['method.request.path.proxy'] } : {}),
    });
    this.api.root.addMethod('ANY', new LambdaIntegration(this.handler.fn));
    const proxy = this.api.root.addResource('{proxy+}');
    proxy.addMethod('GET', integration, {
      requestParameters: { 'method.request.path.proxy': true },
    });
    proxy.addMethod('ANY', new LambdaIntegration(this.handler.fn));
    this.api.root
      .addResource('api')
      .addProxy({ anyMethod: true, defaultIntegration: new LambdaIntegration(this.handler.fn) });

    // Least privilege: exactly the calls DynamoDbLinkStore, DynamoDbLinkStats and the Kinesis
    // producer make.
    const role = this.handler.role;
    role.addToPolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        resources: [data.table.tableArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${data.table.tableArn}/index/${LINK_TABLE.codeIndex}`],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({ actions: ['kinesis:PutRecords'], resources: [data.stream.streamArn] }),
    );

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'The shortener validates every request body itself (zod schemas) and answers JSON 4xx.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'WAF is an account-level choice (cost per web ACL); throttling and the app rate limit apply.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Redirects and the page are public by design; link creation is guarded by the app’s own API keys.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'No Cognito: callers of a public short-link service are anonymous; creation uses API keys.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'API Gateway’s account-level CloudWatch role needs the AWS-managed AmazonAPIGatewayPushToCloudWatchLogs policy.',
    });
  }
}
