import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedCluster } from '../../db/embedded-cluster';
import { DatabaseError } from '../../db/errors';
import { isAlive } from '../../db/embedded/postmaster';
import { createLogger } from '../../src-main/log';

// These tests run one real cluster through its life in order: create, reuse, survive the
// studio being killed, stale lock files, a taken port, and a clean stop.

const log = createLogger('test.embedded');
log.level = 'warn';
const CHILD_SCRIPT = path.resolve('tests/support/embedded-cluster-child.ts');

async function query<T extends pg.QueryResultRow>(cluster: EmbeddedCluster, text: string) {
  const client = new pg.Client({ connectionString: cluster.urlFor() });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function snapshot(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await fs.readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(folder, full)] = await fs.readFile(full, 'utf8');
  }
  return files;
}

/** Starts the cluster from a separate Node process, as the studio would, and reports its pid. */
function startInChild(dataDir: string): Promise<{ child: ChildProcess; postmasterPid: number }> {
  // Its own process group, so the kill reaches npx, tsx and the node process they run alike.
  const child = spawn('npx', ['tsx', CHILD_SCRIPT, dataDir], {
    env: { ...process.env, VLOG_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /^READY (.*)$/m.exec(output);
      if (!ready?.[1]) return;
      resolve({ child, postmasterPid: (JSON.parse(ready[1]) as { pid: number }).pid });
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}): ${output}`)));
  });
}

/** Node processes still running the child script for `dataDir`. */
async function studioProcesses(dataDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const commandLine = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.includes(CHILD_SCRIPT) && commandLine.includes(dataDir)) {
      if (await isAlive(Number(entry))) pids.push(Number(entry));
    }
  }
  return pids;
}

async function pidOfExitedProcess(): Promise<number> {
  const done = spawn('true');
  await new Promise((resolve) => done.once('exit', resolve));
  if (done.pid === undefined) throw new Error('could not spawn `true`');
  return done.pid;
}

function occupyPort(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => resolve(server));
  });
}

describe('embedded PostgreSQL cluster', () => {
  let root: string;
  let dataDir: string;
  let clusterDir: string;
  let cluster: EmbeddedCluster | undefined;
  const pidFile = () => path.join(clusterDir, 'postmaster.pid');
  const markerFile = () => path.join(clusterDir, 'vlog-studio-cluster.json');
  const serverLog = () => fs.readFile(path.join(clusterDir, 'log', 'server.log'), 'utf8');
  const storedPort = async () =>
    (JSON.parse(await fs.readFile(`${clusterDir}.auth.json`, 'utf8')) as { port: number }).port;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'vlog-cluster-test-'));
    dataDir = path.join(root, 'studio');
    clusterDir = path.join(dataDir, 'postgres');
  });
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('creates a UTF8 cluster on 127.0.0.1 only, with a private password file', async () => {
    cluster = await EmbeddedCluster.start({ dataDir, log });

    const [settings] = await query(
      cluster,
      `SELECT current_setting('server_encoding') AS encoding,
              (SELECT datcollate FROM pg_database WHERE datname = 'postgres') AS collate,
              current_setting('listen_addresses') AS listen,
              current_setting('unix_socket_directories') AS sockets`,
    );
    expect(settings).toEqual({ encoding: 'UTF8', collate: 'C', listen: '127.0.0.1', sockets: '' });
    const auth = await fs.stat(`${clusterDir}.auth.json`);
    expect(auth.mode & 0o777).toBe(0o600);
    await query(cluster, `CREATE TABLE kept (note text); INSERT INTO kept VALUES ('first run')`);
    await expect(
      new pg.Client({
        connectionString: cluster.urlFor().replace(/:[^:@]+@/, ':wrong@'),
      }).connect(),
    ).rejects.toMatchObject({ code: '28P01' });
  });

  it('stops cleanly: no postmaster.pid left, and the next start needs no recovery', async () => {
    cluster = await EmbeddedCluster.start({ dataDir, log });
    const pid = cluster.pid ?? 0;
    await cluster.stop();
    expect(await isAlive(pid)).toBe(false);
    await expect(fs.access(pidFile())).rejects.toThrow();
    expect(await serverLog()).toMatch(/database system is shut down\s*$/);
  });

  it('reuses the cluster on the next start: no initdb, data kept, no recovery', async () => {
    const markerBefore = await fs.stat(markerFile());
    const versionBefore = await fs.stat(path.join(clusterDir, 'PG_VERSION'));
    const logBefore = (await serverLog()).length;

    cluster = await EmbeddedCluster.start({ dataDir, log });

    expect((await fs.stat(markerFile())).mtimeMs).toBe(markerBefore.mtimeMs);
    expect((await fs.stat(path.join(clusterDir, 'PG_VERSION'))).mtimeMs).toBe(
      versionBefore.mtimeMs,
    );
    expect(await query(cluster, 'SELECT note FROM kept')).toEqual([{ note: 'first run' }]);
    expect((await serverLog()).slice(logBefore)).not.toMatch(/not properly shut down/);
  });

  it('refuses while another studio runs the folder, then starts once it was SIGKILLed', async () => {
    const { child, postmasterPid } = await startInChild(dataDir);
    const whileRunning = await EmbeddedCluster.start({ dataDir, log }).catch((e) => e);
    expect(whileRunning).toMatchObject({
      code: 'CLUSTER_IN_USE',
      context: { pid: expect.any(Number) },
    });
    expect(await isAlive(postmasterPid)).toBe(true);

    process.kill(-(child.pid ?? 0), 'SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await studioProcesses(dataDir)).toEqual([]);
    expect(await isAlive(postmasterPid)).toBe(true);

    cluster = await EmbeddedCluster.start({ dataDir, log });

    expect(await isAlive(postmasterPid)).toBe(false);
    expect(cluster.pid).not.toBe(postmasterPid);
    expect(await query(cluster, 'SELECT note FROM kept')).toEqual([{ note: 'first run' }]);
  });

  it('starts over a stale postmaster.pid whose process is gone', async () => {
    cluster = await EmbeddedCluster.start({ dataDir, log });
    const lock = (await fs.readFile(pidFile(), 'utf8')).split('\n');
    await cluster.stop();
    lock[0] = String(await pidOfExitedProcess());
    await fs.writeFile(pidFile(), lock.join('\n'));

    cluster = await EmbeddedCluster.start({ dataDir, log });
    expect(await query(cluster, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }]);
  });

  it('starts over a postmaster.pid naming a live process that is not PostgreSQL', async () => {
    cluster = await EmbeddedCluster.start({ dataDir, log });
    const lock = (await fs.readFile(pidFile(), 'utf8')).split('\n');
    await cluster.stop();
    const bystander = spawn('sleep', ['30']);
    try {
      lock[0] = String(bystander.pid);
      await fs.writeFile(pidFile(), lock.join('\n'));

      cluster = await EmbeddedCluster.start({ dataDir, log });
      expect(await query(cluster, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      expect(await isAlive(bystander.pid ?? 0)).toBe(true);
    } finally {
      bystander.kill();
    }
  });

  it('moves to a free port when its stored port is taken by another program', async () => {
    const port = await storedPort();
    const squatter = await occupyPort(port);
    try {
      cluster = await EmbeddedCluster.start({ dataDir, log });
      expect(cluster.port).not.toBe(port);
      expect(await storedPort()).toBe(cluster.port);
      expect(await query(cluster, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 1 }]);
    } finally {
      squatter.close();
    }
  });

  it('moves an unfinished cluster aside and creates a new one', async () => {
    const brokenDir = path.join(root, 'interrupted');
    await fs.mkdir(path.join(brokenDir, 'postgres', 'base'), { recursive: true });
    const version = (await fs.readFile(path.join(clusterDir, 'PG_VERSION'), 'utf8')).trim();
    await fs.writeFile(path.join(brokenDir, 'postgres', 'PG_VERSION'), `${version}\n`);

    cluster = await EmbeddedCluster.start({ dataDir: brokenDir, log });

    const siblings = await fs.readdir(brokenDir);
    const aside = siblings.find((name) => name.startsWith('postgres.incomplete-'));
    expect(aside).toBeDefined();
    expect(await fs.readdir(path.join(brokenDir, aside ?? ''))).toEqual(
      expect.arrayContaining(['PG_VERSION', 'base']),
    );
    expect(await query(cluster, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('refuses a cluster made by another PostgreSQL version and leaves it untouched', async () => {
    const oldDir = path.join(root, 'old-version');
    await fs.mkdir(path.join(oldDir, 'postgres', 'base', '1'), { recursive: true });
    await fs.writeFile(path.join(oldDir, 'postgres', 'PG_VERSION'), '12\n');
    await fs.writeFile(path.join(oldDir, 'postgres', 'base', '1', 'PG_VERSION'), '12\n');
    await fs.writeFile(path.join(oldDir, 'postgres', 'postgresql.conf'), 'port = 5432\n');
    const before = await snapshot(oldDir);

    const failure = await EmbeddedCluster.start({ dataDir: oldDir, log }).catch((e) => e);

    expect(failure).toBeInstanceOf(DatabaseError);
    expect(failure).toMatchObject({
      code: 'CLUSTER_VERSION_MISMATCH',
      context: { clusterVersion: '12' },
    });
    expect((failure as Error).message).toMatch(/PostgreSQL 12.*Nothing was changed/s);
    expect(await snapshot(oldDir)).toEqual(before);
  });
});
