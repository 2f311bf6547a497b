// The CDK app: `npm run synth` (offline) and `npm run deploy -- --stage dev`.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ShortlineStack } from './shortline-stack.ts';
import { stageSettings } from './stages.ts';

/**
 * Build the app for the stage in `--context stage=…` (default dev), with cdk-nag's
 * AwsSolutions pack as a validation plugin: any unacknowledged finding fails the synth.
 */
export function buildApp(app = new App()): { app: App; stack: ShortlineStack } {
  const settings = stageSettings(app.node.tryGetContext('stage') ?? 'dev');
  const codeAlphabet: unknown = app.node.tryGetContext('codeAlphabet');
  const baseUrl: unknown = app.node.tryGetContext('baseUrl');
  const stack = new ShortlineStack(app, `shortline-${settings.stage}`, {
    settings,
    ...(typeof codeAlphabet === 'string' ? { codeAlphabet } : {}),
    ...(typeof baseUrl === 'string' ? { baseUrl } : {}),
    env: environment(),
    tags: { project: 'shortline', stage: settings.stage },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/** Account and region as the CDK CLI resolved them (from --profile / --region), when known. */
function environment(): { account?: string; region?: string } {
  const env: { account?: string; region?: string } = {};
  if (process.env.CDK_DEFAULT_ACCOUNT) env.account = process.env.CDK_DEFAULT_ACCOUNT;
  if (process.env.CDK_DEFAULT_REGION) env.region = process.env.CDK_DEFAULT_REGION;
  return env;
}

if (import.meta.url === `file://${process.argv[1]}`) buildApp().app.synth();
