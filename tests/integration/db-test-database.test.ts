import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('createTestDatabase', () => {
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase('iso_a'), createTestDatabase('iso_b')]);
  });
  afterAll(async () => {
    await Promise.all([first?.drop(), second?.drop()]);
  });

  it('gives each caller its own migrated database', async () => {
    expect(first.name).not.toBe(second.name);
    await first.db.insertInto('categories').values({ name: 'Trips', slug: 'trips' }).execute();

    const inFirst = await first.db.selectFrom('categories').select('slug').execute();
    const inSecond = await second.db.selectFrom('categories').select('slug').execute();
    expect(inFirst).toEqual([{ slug: 'trips' }]);
    expect(inSecond).toEqual([]);
  });

  it('returns counts and floats as numbers', async () => {
    await first.db
      .insertInto('videos')
      .values({ title: 'Lake', slug: 'lake', duration: 12.5 })
      .execute();
    const row = await first.db
      .selectFrom('videos')
      .select((eb) => [eb.fn.countAll().as('videos'), eb.fn.max('duration').as('longest')])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ videos: 1, longest: 12.5 });
  });

  it('drop removes the database from the server', async () => {
    const extra = await createTestDatabase('dropped');
    await extra.drop();
    const found = await sql<{ n: number }>`
      SELECT count(*) AS n FROM pg_database WHERE datname = ${extra.name}`.execute(first.db);
    expect(found.rows[0]?.n).toBe(0);
  });
});
