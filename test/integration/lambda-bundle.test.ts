import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle } from '../../bench/aws-bundles.ts';
import { createEmulatedStack, type EmulatedStack } from '../support/aws-stack.ts';
import {
  EMULATOR_CREDENTIALS,
  EMULATOR_REGION,
  type Emulators,
  startEmulators,
} from '../support/emulators.ts';
import { restApiEvent } from '../support/lambda-events.ts';

/**
 * The deployable artifact itself: the API entry bundled as the CDK app bundles it (ESM,
 * minified, SDK inside, page template beside it), loaded in a fresh node process that knows
 * only its environment, and invoked with an API Gateway event against the emulators.
 */
describe('bundled API Lambda', () => {
  let aws: Emulators;
  let stack: EmulatedStack;
  const outdir = mkdtempSync(join(tmpdir(), 'shortline-bundle-'));
  beforeAll(async () => {
    aws = await startEmulators();
    stack = await createEmulatedStack(aws);
  }, 60_000);
  afterAll(async () => {
    await aws.stop();
    rmSync(outdir, { recursive: true, force: true });
  });

  it('answers a create and a redirect from a cold process', async () => {
    const { file } = await bundle('api', outdir, false);
    const url = `https://example.com/bundle/${Math.random()}`;
    const create = restApiEvent({
      method: 'POST',
      path: '/',
      body: JSON.stringify({ url }),
      headers: { 'Content-Type': 'application/json' },
    });
    const script = `
      const { handler } = await import(${JSON.stringify(`file://${file}`)});
      const created = await handler(JSON.parse(process.env.EVENT));
      const { code } = JSON.parse(created.body);
      const redirect = await handler({ ...JSON.parse(process.env.EVENT), httpMethod: 'GET', path: '/' + code, body: null });
      process.stdout.write(JSON.stringify({ created, redirect }));`;
    // Asynchronous: the emulators live in this process and must keep answering.
    const result = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          ...stack.env,
          EVENT: JSON.stringify(create),
          AWS_REGION: EMULATOR_REGION,
          AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
          // Service-specific endpoints: the SDK inside the bundle reads them itself.
          AWS_ENDPOINT_URL_DYNAMODB: aws.endpoints.dynamodb,
          AWS_ENDPOINT_URL_KINESIS: aws.endpoints.kinesis,
        },
      },
    );
    expect(
      result.stderr.replace(/.*NodeVersionSupportWarning[\s\S]*?trace-warnings[^\n]*\n/, ''),
    ).not.toMatch(/Error/);
    const { created, redirect } = JSON.parse(result.stdout) as Record<
      string,
      {
        statusCode: number;
        body: string;
        headers?: Record<string, string>;
        multiValueHeaders?: Record<string, string[]>;
      }
    >;
    expect(created?.statusCode).toBe(201);
    expect(redirect?.statusCode).toBe(308);
    expect(redirect?.multiValueHeaders?.location ?? [redirect?.headers?.location]).toEqual([url]);
  });
});
