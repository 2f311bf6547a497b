// `npm run bench:aws`: the AWS side's measures (issue 5), each bounded in time:
// - DynamoDB writes per created link, counter blocks included (goal ≤ 1.01; naive design: 2),
//   against dynalite, beside the naive design (a counter write per link) in the same run;
// - Lambda bundle sizes, built as the CDK app builds them (goal: API ≤ 500 KB minified);
// - module init time of each bundle in a fresh node process, beside an empty module.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomAlphabet } from '../src/shortener/codes.ts';
import { startEmulators } from '../test/support/emulators.ts';
import { bundle, ENTRIES, emptyModule, initTimeMs } from './aws-bundles.ts';
import { writesPerLink } from './aws-writes.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const links = Number(process.env.BENCH_LINKS ?? 500);
const progress = (message: string) => process.stderr.write(`bench:aws: ${message}\n`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

const aws = await startEmulators({ kinesis: false, sqs: false });
try {
  progress(`writes per created link (${links} links, blocks of 100, then blocks of 1)`);
  const ours = await writesPerLink(aws.dynamodb, {
    links,
    blockSize: 100,
    deadline: Date.now() + seconds * 1000,
  });
  const naive = await writesPerLink(aws.dynamodb, {
    links,
    blockSize: 1,
    deadline: Date.now() + seconds * 1000,
  });
  const oursPer = ours.writes / ours.created;
  const naivePer = naive.writes / naive.created;
  console.log('\nDynamoDB writes per created link (dynalite, counted on the SDK middleware stack)');
  console.log(
    `  shortline (one conditional put, counter blocks of 100): ${oursPer.toFixed(3)} (${ours.writes} writes / ${ours.created} links)`,
  );
  console.log(
    `  naive baseline (counter write per link):                ${naivePer.toFixed(3)} (${naive.writes} writes / ${naive.created} links)`,
  );
  console.log(
    `  ratio to baseline: ${(oursPer / naivePer).toFixed(3)}x   goal ≤ 1.01: ${oursPer <= 1.01 ? 'met' : 'NOT met'}`,
  );
} finally {
  await aws.stop();
}

progress('bundles');
const outdir = mkdtempSync(join(tmpdir(), 'bench-lambda-'));
const env = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  SHORTLINE_CODE_ALPHABET: randomAlphabet(),
  SHORTLINE_BASE_URL: 'https://sho.rt',
  SHORTLINE_LINKS_TABLE: 'links',
  SHORTLINE_EVENTS_STREAM: 'links',
  SHORTLINE_PROCESSOR: 'visit-counter',
  SHORTLINE_RETRY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/0/retry',
  SHORTLINE_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/0/dlq',
  LOG_LEVEL: 'silent',
};
const runs = Number(process.env.BENCH_INIT_RUNS ?? 5);
const baseline = initTimeMs(emptyModule(), runs, env);
console.log('\nLambda bundles (esbuild, ESM, minified, as the CDK app builds them)');
console.log(
  `  ${'entry'.padEnd(14)}${'bundle'.padStart(10)}${'SDK external'.padStart(14)}${'init (median)'.padStart(16)}${'vs empty module'.padStart(17)}`,
);
for (const entry of ENTRIES) {
  const full = await bundle(entry, outdir, false);
  const lean = await bundle(entry, outdir, true);
  const init = initTimeMs(full.file, runs, env);
  console.log(
    `  ${entry.padEnd(14)}${kb(full.bytes).padStart(10)}${kb(lean.bytes).padStart(14)}${`${init.toFixed(0)} ms`.padStart(16)}${`${(init / baseline).toFixed(1)}x`.padStart(17)}`,
  );
  if (entry === 'api') {
    console.log(
      `  goal API ≤ 500 KB minified: bundled SDK ${full.bytes <= 500 * 1024 ? 'met' : 'NOT met'}; SDK from the runtime ${lean.bytes <= 500 * 1024 ? 'met' : 'NOT met'}`,
    );
  }
}
console.log(`  empty module init (baseline, median of ${runs}): ${baseline.toFixed(1)} ms`);
