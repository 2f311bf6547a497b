import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { defineProcessor, startProcessors } from '../../../src/kit/stream/index.ts';
import { eventually } from '../../support/eventually.ts';
import { tempStorage } from './helpers.ts';

const t = tempStorage();
afterAll(() => t.cleanup());
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** Run the CLI in process against the temp data dir; returns what it printed. */
async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  // Subcommand first, then the temp data dir; a later --data-dir in `args` wins.
  const [command, ...rest] = args;
  const sub = command === 'dlq' ? [command, rest.shift() ?? ''] : [command ?? ''];
  await main(['node', 'shortline', ...sub, '--data-dir', t.dir, ...rest]);
  vi.restoreAllMocks();
  return { stdout, stderr, exitCode: process.exitCode ?? 0 };
}

describe('shortline dlq and status', () => {
  it('lists, shows, redrives and purges dead letters; status shows the counters', async () => {
    const { storage } = t;
    storage.log.createStream('cli', { shards: 1 });
    let fixed = false;
    const handled: number[] = [];
    const running = await startProcessors(
      [
        defineProcessor<number>({
          name: 'cli-proc',
          stream: 'cli',
          policy: {
            kind: 'retry',
            retries: 0,
            maxReceives: 1,
            backoff: { initialMs: 1, factor: 1, maxMs: 1, jitter: 'none' },
          },
          handler: (record) => {
            if (record.data === 1 && !fixed) throw new RangeError('one is bad');
            handled.push(record.data);
          },
        }),
      ],
      { ...storage, pollMs: 50 },
    );
    try {
      await storage.log.append(
        'cli',
        [0, 1, 2].map((n) => ({ partitionKey: 'k', data: n })),
      );
      await eventually(async () => expect(await storage.deadLetters.depth('cli-proc')).toBe(1));

      const list = await cli('dlq', 'list', '--json');
      const [letter] = JSON.parse(list.stdout).deadLetters;
      expect(letter).toMatchObject({
        processor: 'cli-proc',
        record: { data: 1 },
        error: { name: 'RangeError' },
        attempts: 2,
      });
      expect((await cli('dlq', 'list')).stdout).toContain(letter.id);

      const show = await cli('dlq', 'show', letter.id);
      expect(show.stdout).toContain('RangeError: one is bad');
      expect(JSON.parse((await cli('dlq', 'show', letter.id, '--json')).stdout).id).toBe(letter.id);

      const unknown = await cli('dlq', 'show', 'dl-nope');
      expect(unknown.exitCode).not.toBe(0);
      expect(unknown.stderr).toContain('no dead letter with id "dl-nope"');
      expect((await cli('dlq', 'redrive', 'dl-nope')).exitCode).not.toBe(0);

      await eventually(async () => {
        const status = JSON.parse((await cli('status', '--json')).stdout).processors[0];
        expect(status).toMatchObject({
          processor: 'cli-proc',
          processed: 2,
          failed: 1,
          queued: 1,
          deadLettered: 1,
          dlqDepth: 1,
          lagMs: 0,
        });
      });
      expect((await cli('status')).stdout).toMatch(/cli-proc\s+cli\s+0\.0s\s+2\s+1/);

      fixed = true;
      expect(JSON.parse((await cli('dlq', 'redrive', letter.id, '--json')).stdout)).toEqual({
        redriven: [letter.id],
      });
      await eventually(() => expect(handled).toEqual([0, 2, 1]));

      await storage.deadLetters.put({
        processor: 'cli-proc',
        record: letter.record,
        error: letter.error,
        attempts: 1,
        receives: 1,
      });
      expect(JSON.parse((await cli('dlq', 'purge', '--json')).stdout)).toEqual({ purged: 1 });
      expect(await storage.deadLetters.depth()).toBe(0);
    } finally {
      await running.stop();
    }
  });

  it('redrives every dead letter of one processor with --all', async () => {
    const { storage } = t;
    const record = {
      stream: 'cli',
      shardId: 'shardId-000000000000',
      sequenceNumber: '9',
      partitionKey: 'k',
      data: 9,
      attributes: {},
      arrivedAt: Date.now(),
    };
    const error = { name: 'Error', message: 'x' };
    const mine = [
      await storage.deadLetters.put({ processor: 'bulk', record, error, attempts: 3, receives: 3 }),
      await storage.deadLetters.put({ processor: 'bulk', record, error, attempts: 3, receives: 3 }),
    ];
    const other = await storage.deadLetters.put({
      processor: 'other',
      record,
      error,
      attempts: 1,
      receives: 1,
    });
    expect((await cli('dlq', 'redrive')).exitCode).not.toBe(0); // neither an id nor --all
    const out = JSON.parse(
      (await cli('dlq', 'redrive', '--all', '--processor', 'bulk', '--json')).stdout,
    );
    expect([...out.redriven].sort()).toEqual([...mine].sort());
    expect(await storage.retryQueue.depth('bulk')).toBe(2);
    expect(await storage.deadLetters.get(other)).toBeDefined();
  });

  it('says so when there is no stream data yet', async () => {
    const out = await cli('status', '--data-dir', `${t.dir}/missing`);
    expect(out.stdout).toContain('no processors');
  });
});
