import { Command, CommanderError } from 'commander';
import { registerConfig } from './commands/config.ts';
import { registerDlq } from './commands/dlq.ts';
import { registerStart } from './commands/start.ts';
import { registerStatus } from './commands/status.ts';

/**
 * The `shortline` command line. Each command lives in `commands/<name>.ts` and registers
 * itself on the program; add new ones to the list below.
 */
export function buildProgram(): Command {
  const program = new Command('shortline')
    .description('URL shortener and event-driven toolkit: run the service and operate it')
    .showHelpAfterError()
    .exitOverride();
  registerStart(program);
  registerStatus(program);
  registerDlq(program);
  registerConfig(program);
  return program;
}

/** Run the CLI. Errors print a message and exit non-zero; `--help` exits 0. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`shortline: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
