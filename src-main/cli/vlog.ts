import { Command } from 'commander';
import { openLibrary } from '../../db/connection';
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { describeStartupError } from '../startup-errors';

const log = createLogger('cli');

/** Opens the library (starting and migrating it) and closes it again: a start-up check. */
async function migrateCommand(): Promise<void> {
  const library = await openLibrary(loadConfig(process.env));
  log.info({ url: library.url.replace(/:[^:@/]+@/, ':***@') }, 'library database migrated');
  await library.close();
}

/** The `vlog` command. Remote workers (`vlog worker`) are not part of this build yet. */
async function main(argv: string[]): Promise<void> {
  const program = new Command('vlog').description('VLog Studio from the command line');
  program
    .command('serve')
    .description('run the studio headless (the same as npm run serve)')
    .action(async () => {
      await import('../serve');
    });
  program
    .command('migrate')
    .description('create or update the library database, then exit')
    .action(migrateCommand);
  await program.parseAsync(argv);
}

main(process.argv).catch((error: unknown) => {
  log.debug({ err: error }, 'command failed');
  process.stderr.write(`${describeStartupError(error, process.env)}\n`);
  process.exit(1);
});
