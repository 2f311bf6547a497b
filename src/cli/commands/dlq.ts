import type { Command } from 'commander';
import type { DeadLetter } from '../../kit/stream/index.ts';
import { redrive } from '../../kit/stream/index.ts';
import { DATA_DIR_FLAGS, DATA_DIR_HELP, table, withStreamData } from './stream-data.ts';

interface Common {
  dataDir?: string;
  json?: boolean;
}

const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

/**
 * `shortline dlq list|show|redrive|purge`: inspect and act on dead letters. Redrive puts a
 * record back on its processor's retry queue; the running service's retry worker handles it.
 */
export function registerDlq(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('list, inspect, redrive or purge dead letters of stream processors');

  dlq
    .command('list')
    .description('list dead letters, oldest first')
    .option('-p, --processor <name>', 'only this processor')
    .option('-n, --limit <n>', 'at most this many', '100')
    .option(DATA_DIR_FLAGS, DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .action(async (options: Common & { processor?: string; limit: string }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new Error(`--limit: expected a positive whole number, got ${options.limit}`);
      const letters = await withStreamData(options.dataDir, async (storage) =>
        storage
          ? storage.deadLetters.list({
              limit,
              ...(options.processor ? { processor: options.processor } : {}),
            })
          : [],
      );
      if (options.json) return print({ deadLetters: letters });
      if (letters.length === 0) {
        process.stdout.write('no dead letters\n');
        return;
      }
      const rows = letters.map((l) => [
        l.id,
        l.processor,
        new Date(l.failedAt).toISOString(),
        `${l.record.shardId}/${l.record.sequenceNumber}`,
        String(l.attempts),
        `${l.error.name}: ${l.error.message}`.slice(0, 60),
      ]);
      process.stdout.write(
        `${table([['ID', 'PROCESSOR', 'FAILED AT', 'SHARD/SEQ', 'ATTEMPTS', 'ERROR'], ...rows])}\n`,
      );
    });

  dlq
    .command('show <id>')
    .description('show one dead letter: the whole record, its error and attempts')
    .option(DATA_DIR_FLAGS, DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .action(async (id: string, options: Common) => {
      const letter = await withStreamData(options.dataDir, async (storage) =>
        storage?.deadLetters.get(id),
      );
      if (!letter) throw new Error(`no dead letter with id ${JSON.stringify(id)}`);
      if (options.json) return print(letter);
      process.stdout.write(describe(letter));
    });

  dlq
    .command('redrive [id]')
    .description('send dead letters back through their processor (via its retry queue)')
    .option('--all', 'redrive every dead letter (of --processor when given)')
    .option('-p, --processor <name>', 'with --all: only this processor')
    .option(DATA_DIR_FLAGS, DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      "\nThe running service's retry worker picks redriven records up within a moment.",
    )
    .action(
      async (id: string | undefined, options: Common & { all?: boolean; processor?: string }) => {
        if ((id === undefined) === (options.all !== true))
          throw new Error('give one dead-letter id, or --all');
        const ids = await withStreamData(options.dataDir, async (storage) => {
          if (!storage) {
            if (id !== undefined) throw new Error(`no dead letter with id ${JSON.stringify(id)}`);
            return [];
          }
          const targets =
            id !== undefined
              ? [id]
              : (
                  await storage.deadLetters.list({
                    limit: Number.MAX_SAFE_INTEGER,
                    ...(options.processor ? { processor: options.processor } : {}),
                  })
                ).map((l) => l.id);
          for (const [i, target] of targets.entries()) {
            await redrive(storage, target);
            if (!options.json && targets.length > 100 && i % 100 === 99)
              process.stderr.write(`redriven ${i + 1}/${targets.length}\n`);
          }
          return targets;
        });
        if (options.json) return print({ redriven: ids });
        process.stdout.write(`redriven ${ids.length} dead letter${ids.length === 1 ? '' : 's'}\n`);
      },
    );

  dlq
    .command('purge')
    .description('delete dead letters for good')
    .option('-p, --processor <name>', 'only this processor')
    .option(DATA_DIR_FLAGS, DATA_DIR_HELP)
    .option('--json', 'print JSON')
    .action(async (options: Common & { processor?: string }) => {
      const purged = await withStreamData(options.dataDir, async (storage) =>
        storage ? storage.deadLetters.purge(options.processor) : 0,
      );
      if (options.json) return print({ purged });
      process.stdout.write(`purged ${purged} dead letter${purged === 1 ? '' : 's'}\n`);
    });
}

function describe(l: DeadLetter): string {
  return [
    `id:          ${l.id}`,
    `processor:   ${l.processor}`,
    `failed at:   ${new Date(l.failedAt).toISOString()}`,
    `attempts:    ${l.attempts} (retry-queue receives: ${l.receives})`,
    `error:       ${l.error.name}${l.error.code ? ` [${l.error.code}]` : ''}: ${l.error.message}`,
    `stream:      ${l.record.stream} ${l.record.shardId} seq ${l.record.sequenceNumber}`,
    `key:         ${l.record.partitionKey}`,
    `arrived at:  ${new Date(l.record.arrivedAt).toISOString()}`,
    `attributes:  ${JSON.stringify(l.record.attributes)}`,
    `data:        ${JSON.stringify(l.record.data, null, 2)}`,
    ...(l.error.stack ? ['stack:', l.error.stack] : []),
    '',
  ].join('\n');
}
