import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from './app.ts';

/** One synth of the whole app for a stage, as a test file's beforeAll makes it. */
export interface SynthesizedApp {
  template: Template;
  /** What `app.synth()` threw (cdk-nag findings, a failed bundle); undefined when it passed. */
  synthError: unknown;
  /** Remove the cloud assembly. */
  cleanup(): void;
}

/**
 * Build the app for `stage` (cdk-nag on, functions bundled) and synthesise it once. A failing
 * synth is kept, not thrown, so one test can report it while the others still read the
 * template.
 *
 * @example
 * let synth: SynthesizedApp;
 * beforeAll(() => { synth = synthesizeApp('prod'); }, 180_000);
 * afterAll(() => synth.cleanup());
 */
export function synthesizeApp(stage: string): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'shortline-cdk-'));
  const { app, stack } = buildApp(new App({ outdir, context: { stage } }));
  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  return {
    template: Template.fromStack(stack),
    synthError,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
