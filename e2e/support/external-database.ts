import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedCluster } from '../../db/embedded-cluster';
import { createEmptyDatabase } from '../../tests/support/database';

/**
 * An empty database on a PostgreSQL server the studio did not start: the server named by
 * VLOG_TEST_EXTERNAL_DATABASE_URL (CI runs Debian's PostgreSQL), or else a separate cluster
 * started here for the test.
 */
export async function externalDatabaseUrl(): Promise<{ url: string; release(): Promise<void> }> {
  const given = process.env['VLOG_TEST_EXTERNAL_DATABASE_URL'];
  if (given) {
    const database = await createEmptyDatabase('e2e_external', given);
    return { url: database.url, release: database.drop };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-e2e-external-pg-'));
  const cluster = await EmbeddedCluster.start({ dataDir });
  const database = await createEmptyDatabase('e2e_external', cluster.urlFor('postgres'));
  return {
    url: database.url,
    release: async () => {
      await database.drop();
      await cluster.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
