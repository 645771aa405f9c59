import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { EmbeddedCluster } from '../../db/embedded-cluster';
import { findOtherOwner } from '../../db/embedded/owner';
import {
  isAlive,
  isPostmasterOf,
  readPostmasterLock,
  stopPostmaster,
} from '../../db/embedded/postmaster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the PostgreSQL server integration tests create databases on. */
    databaseUrl: string;
  }
}

const TEST_CLUSTER_PREFIX = 'vlog-test-pg-';

// Settings for a throwaway cluster: durability is irrelevant, speed is not.
const THROWAWAY_SETTINGS = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '200',
};

/**
 * A test run killed before its teardown leaves its cluster running. Such a cluster is known
 * by its owner file naming a process that is gone; a run still starting has no owner file yet
 * and is left alone.
 */
async function reapAbandonedTestClusters(): Promise<void> {
  const entries = await fs.readdir(os.tmpdir()).catch(() => []);
  for (const entry of entries.filter((e) => e.startsWith(TEST_CLUSTER_PREFIX))) {
    const dataDir = path.join(os.tmpdir(), entry);
    const clusterDir = path.join(dataDir, 'postgres');
    const ownerFile = `${clusterDir}.owner.json`;
    const hasOwnerFile = await fs.access(ownerFile).then(
      () => true,
      () => false,
    );
    if (!hasOwnerFile || (await findOtherOwner(ownerFile)) !== undefined) continue;

    const lock = await readPostmasterLock(clusterDir);
    if (lock && (await isAlive(lock.pid)) && (await isPostmasterOf(lock.pid, clusterDir))) {
      await stopPostmaster(lock.pid);
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/** Gives integration tests one PostgreSQL server: VLOG_TEST_DATABASE_URL, or an embedded one. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env['VLOG_TEST_DATABASE_URL'];
  if (external) {
    project.provide('databaseUrl', external);
    return async () => undefined;
  }

  await reapAbandonedTestClusters();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), TEST_CLUSTER_PREFIX));
  const cluster = await EmbeddedCluster.start({ dataDir, settings: THROWAWAY_SETTINGS });
  project.provide('databaseUrl', cluster.urlFor('postgres'));
  return async () => {
    await cluster.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
}
