import type { Command } from 'commander';
import { loadConfig } from '../../runtime/config.ts';
import { startLocalService } from '../../runtime/local/service.ts';

/** `shortline start`: run the service (HTTP API, page and processors) on embedded SQLite. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the shortener and its processors on this machine, on embedded SQLite')
    .option('-p, --port <port>', 'port to listen on (env PORT, default 3000)')
    .option('-H, --host <host>', 'address to bind (env HOST, default 127.0.0.1)')
    .option(
      '-d, --data-dir <dir>',
      'where the SQLite files live (env SHORTLINE_DATA_DIR, default ./data)',
    )
    .option('-c, --config <file>', 'JSON config file (env SHORTLINE_CONFIG_FILE)')
    .addHelpText(
      'after',
      '\nEvery setting can also come from the environment; see the README for the full list.',
    )
    .action(
      async (options: { port?: string; host?: string; dataDir?: string; config?: string }) => {
        const config = loadConfig({
          file: options.config ?? process.env.SHORTLINE_CONFIG_FILE,
          overrides: { port: options.port, host: options.host, dataDir: options.dataDir },
        });
        const service = await startLocalService(config);
        let signals = 0;
        const stop = (signal: string) => {
          signals++;
          if (signals > 1) process.exit(130); // a second Ctrl-C means "now"
          process.stderr.write(`\n${signal}: finishing in-flight work, then stopping…\n`);
          void service.close().then(() => process.exit(0));
        };
        process.on('SIGTERM', () => stop('SIGTERM'));
        process.on('SIGINT', () => stop('SIGINT'));
      },
    );
}
