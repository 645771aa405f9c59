import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIBRARY_DATABASE, openLibrary } from '../../db/connection';
import { isAlive } from '../../db/embedded/postmaster';
import { knownMigrations } from '../../db/migrate';
import { createLogger } from '../../src-main/log';
import { createEmptyDatabase } from '../support/database';

const log = createLogger('test.open-library');
log.level = 'warn';

async function appliedMigrations(url: string): Promise<string[]> {
  const library = await openLibrary({ dataDir: '/nonexistent', databaseUrl: url }, log);
  try {
    const rows = await sql<{ name: string }>`
      SELECT name FROM kysely_migration ORDER BY name`.execute(library.db);
    return rows.rows.map((r) => r.name);
  } finally {
    await library.close();
  }
}

describe('openLibrary', () => {
  let root: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'vlog-open-library-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('uses the server at databaseUrl, starts nothing and migrates it', async () => {
    const empty = await createEmptyDatabase('open_external');
    try {
      const library = await openLibrary({ dataDir: root, databaseUrl: empty.url }, log);
      expect(library.embedded).toBeUndefined();
      expect(library.url).toBe(empty.url);
      await library.close();

      expect(await fs.readdir(root)).toEqual([]);
      expect(await appliedMigrations(empty.url)).toEqual(knownMigrations());
    } finally {
      await empty.drop();
    }
  });

  it('starts the embedded cluster, creates the vlog database, and stops it on close', async () => {
    const library = await openLibrary({ dataDir: root, databaseUrl: undefined }, log);
    const pid = library.embedded?.pid ?? 0;
    try {
      expect(new URL(library.url).pathname).toBe(`/${LIBRARY_DATABASE}`);
      await library.db.insertInto('tags').values({ name: 'Travel', slug: 'travel' }).execute();
      const counted = await library.db
        .selectFrom('tags')
        .select((eb) => eb.fn.countAll().as('tags'))
        .executeTakeFirstOrThrow();
      expect(counted.tags).toBe(1);
    } finally {
      await library.close();
    }
    expect(await isAlive(pid)).toBe(false);

    const reopened = await openLibrary({ dataDir: root, databaseUrl: undefined }, log);
    try {
      const tags = await reopened.db.selectFrom('tags').select('slug').execute();
      expect(tags).toEqual([{ slug: 'travel' }]);
    } finally {
      await reopened.close();
    }
  });
});
