import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StageSettings } from './stages.ts';

/** The repository root: entries and the lock file are found from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What `zod` resolves to in Lambda bundles: see infra/bundling/zod-english.mjs. */
export const ZOD_ENGLISH = `${PROJECT_ROOT}infra/bundling/zod-english.mjs`;

// ESM output, so `import.meta.url` works (the page template is read next to the bundle), with
// a `require` for the few CommonJS dependencies that call it.
const BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export interface ShortlineFunctionProps {
  /** Entry file under src/runtime/lambda/entries/, without extension. */
  entry: 'api' | 'config' | 'processor' | 'retry-worker';
  settings: StageSettings;
  environment: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
  /** Files copied next to the bundle (paths relative to the repository root → in the bundle). */
  copy?: Array<[from: string, to: string]>;
}

/**
 * A Lambda function bundled from the repository with the local esbuild (no Docker), with its
 * own log group and a role that may write only to that log group; callers grant the rest.
 */
export class ShortlineFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ShortlineFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.settings.logRetentionDays,
      removalPolicy: props.settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5',
      reason:
        'Log streams are created at run time under the function’s own log group; the ARN ends in :* and names no other group.',
    });
    const copy = props.copy ?? [];
    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}src/runtime/lambda/entries/${props.entry}.ts`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      environment: props.environment,
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: false,
        target: 'node22',
        banner: BANNER,
        // The packages' ES module builds: the SDK's tree-shake, its CommonJS builds do not.
        mainFields: ['module', 'main'],
        // zod with English messages only: its other locales are about 250 KB of every bundle.
        esbuildArgs: { '--alias:zod': ZOD_ENGLISH },
        // The AWS SDK v3 comes with the Node.js runtime: bundling it would add about 360 KB to
        // each function and to every cold start. The price is that production runs the
        // runtime's SDK version rather than the one the emulator tests ran (v3 keeps its API).
        bundleAwsSDK: false,
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) =>
            copy.map(
              ([from, to]) =>
                `mkdir -p "$(dirname "${outputDir}/${to}")" && cp "${inputDir}/${from}" "${outputDir}/${to}"`,
            ),
        },
      },
    });
  }
}
