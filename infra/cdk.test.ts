import { describe, expect, it } from 'vitest';
import { cdkCommand } from './cdk.ts';

describe('synth and deploy scripts', () => {
  it('maps --stage, --profile and --region onto cdk and passes everything else through', () => {
    const { args, env } = cdkCommand(
      'deploy',
      [
        '--stage',
        'prod',
        '--profile',
        'ops',
        '--region',
        'eu-west-1',
        '--require-approval',
        'never',
      ],
      {},
    );
    expect(args).toEqual([
      'deploy',
      'shortline-prod',
      '--app',
      'node --import tsx infra/app.ts',
      '--context',
      'stage=prod',
      '--no-notices',
      '--no-version-reporting',
      '--profile',
      'ops',
      '--require-approval',
      'never',
    ]);
    expect(env).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' });
  });

  it('synthesises dev by default and keeps extra arguments such as --output', () => {
    expect(cdkCommand('synth', ['--output', 'out/x'], {}).args.slice(-4)).toEqual([
      '--no-notices',
      '--no-version-reporting',
      '--output',
      'out/x',
    ]);
    expect(cdkCommand('synth', ['--output=out/y'], {}).args).toContain('--output=out/y');
    expect(cdkCommand('synth', [], {}).args).toContain('stage=dev');
  });

  it('refuses a deploy without a stage, and unknown stages', () => {
    expect(() => cdkCommand('deploy', [], {})).toThrow(/--stage is required/);
    expect(() => cdkCommand('deploy', ['--stage', 'qa'], {})).toThrow(/stage must be one of/);
    expect(() => cdkCommand('destroy', [], {})).toThrow(/usage/);
  });
});
