import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { StudioConfig } from '../src-main/config';
import { createLogger, type Logger } from '../src-main/log';
import { EmbeddedCluster, type EmbeddedClusterOptions } from './embedded-cluster';
import { migrateToLatest } from './migrate';
import type { Database } from './schema';

/** The embedded cluster keeps the library in this database. */
export const LIBRARY_DATABASE = 'vlog';

/** An open, migrated library database. */
export interface Library {
  db: Kysely<Database>;
  pool: pg.Pool;
  url: string;
  /** Present when the studio runs its own PostgreSQL. */
  embedded?: EmbeddedCluster;
  /** Closes the pool, then stops the embedded server if there is one. */
  close(): Promise<void>;
}

let typesConfigured = false;

/**
 * count(*) and other bigint results arrive as strings by default; the library's counts stay far
 * below 2^53, so numbers are safe and simpler. FLOAT8 already parses to a number.
 */
export function configurePgTypes(): void {
  if (typesConfigured) return;
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
  typesConfigured = true;
}

/** A Kysely instance over a pool for `url` (types configured, nothing migrated). */
export function connectLibrary(url: string, maxConnections = 10): Pick<Library, 'db' | 'pool'> {
  configurePgTypes();
  const pool = new pg.Pool({ connectionString: url, max: maxConnections });
  // An idle client losing its connection must not crash the studio; queries report it.
  pool.on('error', (error) => createLogger('db').warn({ err: error }, 'idle connection lost'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

/** Options for tests and tools; the studio passes only its configuration. */
export interface OpenLibraryOptions {
  cluster?: Partial<EmbeddedClusterOptions>;
}

/**
 * Opens the library: the server at config.databaseUrl if set, otherwise the studio's own
 * PostgreSQL in the data folder (started, and the `vlog` database created, as needed). The
 * schema is migrated to the latest version either way.
 */
export async function openLibrary(
  config: Pick<StudioConfig, 'dataDir' | 'databaseUrl'>,
  log: Logger = createLogger('db'),
  options: OpenLibraryOptions = {},
): Promise<Library> {
  let embedded: EmbeddedCluster | undefined;
  let url = config.databaseUrl;
  if (url === undefined) {
    embedded = await EmbeddedCluster.start({ ...options.cluster, dataDir: config.dataDir });
    await embedded.ensureDatabase(LIBRARY_DATABASE);
    url = embedded.urlFor(LIBRARY_DATABASE);
  }

  const { db, pool } = connectLibrary(url);
  try {
    await migrateToLatest(db, log.child({ module: 'db.migrate' }));
  } catch (error) {
    await db.destroy();
    await embedded?.stop();
    throw error;
  }
  log.info({ embedded: embedded !== undefined, port: embedded?.port }, 'library database open');

  const close = async (): Promise<void> => {
    await db.destroy();
    await embedded?.stop();
  };
  return { db, pool, url, embedded, close };
}
