// `npm run synth -- [--stage s] [cdk args]` and `npm run deploy -- --stage s [--profile p]
// [--region r] [cdk args]`: one vocabulary for a laptop and CI, mapped onto the CDK CLI.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { STAGES, stageSettings } from './stages.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = `usage:
  npm run synth  -- [--stage ${STAGES.join('|')}] [cdk synth options, e.g. --output <dir>]
  npm run deploy -- --stage ${STAGES.join('|')} [--profile <name>] [--region <region>] [cdk deploy options]`;

/** The cdk command line for `synth` or `deploy`, and the environment to run it in. */
export function cdkCommand(
  command: string,
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { args: string[]; env: NodeJS.ProcessEnv } {
  if (command !== 'synth' && command !== 'deploy') throw new Error(USAGE);
  const { values, tokens } = parseArgs({
    args: argv,
    options: {
      stage: { type: 'string' },
      profile: { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: false,
    tokens: true,
  });
  if (values.help) throw new Error(USAGE);
  if (command === 'deploy' && values.stage === undefined)
    throw new Error(`--stage is required\n${USAGE}`);
  const stage = stageSettings(values.stage ?? 'dev').stage;
  // Everything that is not ours goes to cdk unchanged, in order.
  const ours = new Set(['stage', 'profile', 'region', 'help']);
  const rest: string[] = [];
  for (const token of tokens ?? []) {
    if (token.kind === 'positional') rest.push(token.value);
    else if (token.kind === 'option' && !ours.has(token.name)) {
      // Unknown options parse as flags; a following value arrives as a positional token.
      rest.push(token.inlineValue ? `${token.rawName}=${token.value}` : token.rawName);
    }
  }
  const args = [
    command,
    ...(command === 'deploy' ? [`shortline-${stage}`] : []),
    '--app',
    'node --import tsx infra/app.ts',
    '--context',
    `stage=${stage}`,
    // Offline: no notices fetched, no telemetry sent.
    '--no-notices',
    '--no-version-reporting',
    ...(typeof values.profile === 'string' ? ['--profile', values.profile] : []),
    ...rest,
  ];
  const region =
    typeof values.region === 'string'
      ? { AWS_REGION: values.region, AWS_DEFAULT_REGION: values.region }
      : {};
  return { args, env: { ...env, ...region, CDK_DISABLE_CLI_TELEMETRY: 'true' } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const [command = '', ...argv] = process.argv.slice(2);
    const { args, env } = cdkCommand(command, argv);
    const result = spawnSync(`${ROOT}node_modules/.bin/cdk`, args, {
      cwd: ROOT,
      env,
      stdio: 'inherit',
    });
    process.exitCode = result.status ?? 1;
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
  }
}
