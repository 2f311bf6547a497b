// Lambda bundle sizes (built as the CDK app builds them) and module init time in fresh processes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ZOD_ENGLISH } from '../infra/lambda-function.ts';

export const ENTRIES = ['api', 'processor', 'retry-worker'] as const;
const BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** Bundle one entry like infra/lambda-function.ts does; `sdkExternal` leaves the SDK to the runtime. */
export async function bundle(
  entry: string,
  outdir: string,
  sdkExternal: boolean,
): Promise<{ file: string; bytes: number }> {
  const file = join(outdir, `${entry}${sdkExternal ? '-sdk-external' : ''}.mjs`);
  await build({
    entryPoints: [`src/runtime/lambda/entries/${entry}.ts`],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    banner: { js: BANNER },
    mainFields: ['module', 'main'],
    alias: { zod: ZOD_ENGLISH },
    outfile: file,
    external: sdkExternal ? ['@aws-sdk/*', '@smithy/*'] : [],
    logLevel: 'silent',
  });
  // The API reads its page template next to the bundle, as the CDK hook copies it.
  mkdirSync(join(outdir, 'page'), { recursive: true });
  copyFileSync('src/shortener/page/index.html', join(outdir, 'page', 'index.html'));
  return { file, bytes: statSync(file).size };
}

/**
 * Median time to import `file` in a fresh `node` process (what a cold start pays for module
 * init), over `runs` processes. The environment names resources; nothing is called at init.
 */
export function initTimeMs(file: string, runs: number, env: NodeJS.ProcessEnv): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(`file://${file}`)}); process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (result.status !== 0)
      throw new Error(`init of ${file} failed: ${result.stderr.slice(0, 500)}`);
    times.push(Number(result.stdout));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** An empty module: the baseline import cost of a fresh process. */
export function emptyModule(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-empty-')), 'empty.mjs');
  writeFileSync(file, 'export const handler = async () => ({});\n');
  return file;
}
