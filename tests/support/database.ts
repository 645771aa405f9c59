import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { connectLibrary } from '../../db/connection';
import { migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/schema';
import { createLogger } from '../../src-main/log';

/** A fresh, migrated database of its own for one test file or test. */
export interface TestDatabase {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Connection URL of this database (for child processes or a second pool). */
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** The URL of the test server (provided by tests/support/global-setup.ts). */
export function testServerUrl(): string {
  return inject('databaseUrl');
}

/** The URL of `database` on the same server as `serverUrl`. */
export function urlOfDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function withAdmin<T>(serverUrl: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database with a unique name; returns its name and URL. */
export async function createEmptyDatabase(
  prefix = 'test',
  serverUrl = testServerUrl(),
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const safePrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 30);
  const name = `vlog_${safePrefix}_${randomBytes(5).toString('hex')}`;
  await withAdmin(serverUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  const drop = async (): Promise<void> => {
    await withAdmin(serverUrl, (c) =>
      c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`),
    );
  };
  return { name, url: urlOfDatabase(serverUrl, name), drop };
}

/** Creates a fresh database on the test server, migrated to the latest schema. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const empty = await createEmptyDatabase(prefix);
  const { db, pool } = connectLibrary(empty.url, 5);
  const log = createLogger('test.db');
  log.level = 'warn';
  try {
    await migrateToLatest(db, log);
  } catch (error) {
    await db.destroy();
    await empty.drop();
    throw error;
  }
  const drop = async (): Promise<void> => {
    await db.destroy();
    await empty.drop();
  };
  return { db, pool, url: empty.url, name: empty.name, drop };
}
