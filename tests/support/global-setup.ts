import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { EmbeddedCluster } from '../../db/embedded-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the PostgreSQL server integration tests create databases on. */
    databaseUrl: string;
  }
}

// Settings for a throwaway cluster: durability is irrelevant, speed is not.
const THROWAWAY_SETTINGS = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '200',
};

/** Gives integration tests one PostgreSQL server: VLOG_TEST_DATABASE_URL, or an embedded one. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env['VLOG_TEST_DATABASE_URL'];
  if (external) {
    project.provide('databaseUrl', external);
    return async () => undefined;
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-test-pg-'));
  const cluster = await EmbeddedCluster.start({ dataDir, settings: THROWAWAY_SETTINGS });
  project.provide('databaseUrl', cluster.urlFor('postgres'));
  return async () => {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
