import { execFileSync } from 'node:child_process';
import { type Browser, chromium } from 'playwright-core';

/**
 * Flags for Debian's Chromium in a container: no sandbox (no user namespaces here), no GPU,
 * and none of the background traffic (updates, sync, QUIC probes) that would reach for a
 * network the test machines do not have.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** True on CI, where a missing browser must fail the run rather than skip the test. */
export const isCi = (): boolean => {
  const ci = process.env.CI?.toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
};

/**
 * The Chromium binary to drive: `CHROMIUM_PATH` if set, else Debian's `chromium` on PATH.
 * Undefined when there is none.
 *
 * @example
 * const executable = findChromium() ?? skip('no chromium');
 */
export function findChromium(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return configured;
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
    return found === '' ? undefined : found;
  } catch {
    return undefined;
  }
}

/** Why the browser test cannot run here, and how to fix it. */
export const CHROMIUM_MISSING =
  'chromium is not installed (`command -v chromium` found nothing); run .ci/install-chromium.sh ' +
  'or `apt-get install -y chromium`, or set CHROMIUM_PATH';

/**
 * Launch headless Chromium through playwright-core. Throws with a clear message when the
 * binary is missing, so CI fails loudly instead of silently skipping.
 *
 * @example
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
}
