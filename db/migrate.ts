import { type Kysely, type MigrationResult, type MigrationResultSet, Migrator } from 'kysely';
import { NO_MIGRATIONS } from 'kysely';
import { createLogger, type Logger } from '../src-main/log';
import { DatabaseError } from './errors';
import { migrations } from './migrations/index';

/** One migration's outcome, as reported to callers and logs. */
export interface MigrationOutcome {
  name: string;
  direction: 'Up' | 'Down';
  status: MigrationResult['status'];
}

function createMigrator<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
}

function summarise(resultSet: MigrationResultSet): MigrationOutcome[] {
  return (resultSet.results ?? []).map((r) => ({
    name: r.migrationName,
    direction: r.direction,
    status: r.status,
  }));
}

function reportOrThrow(resultSet: MigrationResultSet, log: Logger): MigrationOutcome[] {
  const outcomes = summarise(resultSet);
  for (const outcome of outcomes) {
    const fields = { migration: outcome.name, direction: outcome.direction };
    if (outcome.status === 'Success') log.info(fields, 'migration applied');
    else if (outcome.status === 'Error') log.error(fields, 'migration failed');
    else log.warn(fields, 'migration not run: an earlier one failed');
  }
  if (resultSet.error === undefined) return outcomes;

  const failed = outcomes.find((o) => o.status === 'Error');
  const cause = resultSet.error;
  const reason = cause instanceof Error ? cause.message : String(cause);
  throw new DatabaseError(
    'MIGRATION_FAILED',
    `The library database could not be migrated${failed ? ` (at ${failed.name})` : ''}: ` +
      `${reason}. The database was left as it was before the failing step; ` +
      'check that it is reachable and not modified by hand, then start again.',
    { migration: failed?.name, outcomes },
    { cause },
  );
}

/** Applies every pending migration; returns each one's outcome, throws if any failed. */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  log: Logger = createLogger('db.migrate'),
): Promise<MigrationOutcome[]> {
  const resultSet = await createMigrator(db).migrateToLatest();
  const outcomes = reportOrThrow(resultSet, log);
  if (outcomes.length === 0) log.debug('library database schema is up to date');
  return outcomes;
}

/** Reverts the last `steps` migrations, or all of them with 'all'. */
export async function migrateDown<DB>(
  db: Kysely<DB>,
  steps: number | 'all',
  log: Logger = createLogger('db.migrate'),
): Promise<MigrationOutcome[]> {
  const migrator = createMigrator(db);
  if (steps === 'all') return reportOrThrow(await migrator.migrateTo(NO_MIGRATIONS), log);

  const outcomes: MigrationOutcome[] = [];
  for (let step = 0; step < steps; step += 1) {
    const stepOutcomes = reportOrThrow(await migrator.migrateDown(), log);
    if (stepOutcomes.length === 0) break;
    outcomes.push(...stepOutcomes);
  }
  return outcomes;
}

/** The names of the migrations this build knows, in the order they apply. */
export function knownMigrations(): string[] {
  return Object.keys(migrations).sort();
}
