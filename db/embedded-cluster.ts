import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs, closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { z } from 'zod';
import { createLogger, type Logger } from '../src-main/log';
import { dataPaths } from '../src-main/library/paths';
import { DatabaseError } from './errors';
import {
  locateShippedBinaries,
  type PostgresBinaries,
  provideReachableCopy,
} from './embedded/binaries';
import { claimOwnership, findOtherOwner, releaseOwnership } from './embedded/owner';
import { isPortFree, pickFreePort } from './embedded/ports';
import { isAlive, isPostmasterOf, readPostmasterLock, stopPostmaster } from './embedded/postmaster';
import {
  grantTraverse,
  handOver,
  resolveServerAccount,
  runningAsRoot,
  type ServerAccount,
} from './embedded/server-account';

const run = promisify(execFile);

/** How to run the studio's own PostgreSQL cluster. */
export interface EmbeddedClusterOptions {
  /** The studio's data folder; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  log?: Logger;
  /** Where, when running as root, the binaries are copied for the postgres account. */
  runtimeRoot?: string;
  /** Extra server settings passed as `-c name=value` (tests turn fsync off). */
  settings?: Record<string, string>;
  startTimeoutMs?: number;
}

const SUPERUSER = 'postgres';
const MARKER_FILE = 'vlog-studio-cluster.json';
const DEFAULT_RUNTIME_ROOT = '/var/lib/vlog-studio';
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

const authSchema = z.object({
  superuser: z.string().min(1),
  password: z.string().min(16),
  port: z.number().int().min(1).max(65535).optional(),
});
type ClusterAuth = z.infer<typeof authSchema>;

/** Where the cluster's files are, derived from the data folder. */
interface ClusterLayout {
  dataDir: string;
  clusterDir: string;
  authFile: string;
  ownerFile: string;
  markerFile: string;
  logDir: string;
  logFile: string;
}

function layoutFor(dataDir: string): ClusterLayout {
  const clusterDir = dataPaths(path.resolve(dataDir)).postgres;
  return {
    dataDir: path.resolve(dataDir),
    clusterDir,
    authFile: `${clusterDir}.auth.json`,
    ownerFile: `${clusterDir}.owner.json`,
    markerFile: path.join(clusterDir, MARKER_FILE),
    logDir: path.join(clusterDir, 'log'),
    logFile: path.join(clusterDir, 'log', 'server.log'),
  };
}

async function exists(target: string): Promise<boolean> {
  return fs.access(target).then(
    () => true,
    () => false,
  );
}

/**
 * The studio's own PostgreSQL: created on first start, reused afterwards, recovered after a
 * crash, listening on 127.0.0.1 only. Start with `EmbeddedCluster.start()`, end with `stop()`.
 */
export class EmbeddedCluster {
  private stopped = false;

  private constructor(
    private readonly layout: ClusterLayout,
    private readonly auth: Required<ClusterAuth>,
    private readonly server: ChildProcess,
    private readonly log: Logger,
  ) {}

  /** Starts the cluster in `<dataDir>/postgres`, creating it if needed; resolves once it answers. */
  static async start(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
    const log = options.log ?? createLogger('db.embedded');
    const layout = layoutFor(options.dataDir);
    const account = await resolveServerAccount(log);
    const binaries = await prepareBinaries(account, options.runtimeRoot, log);

    await fs.mkdir(layout.dataDir, { recursive: true });
    await grantTraverse(layout.dataDir, account, log);
    await refuseIfInUse(layout);
    const auth = await prepareCluster(layout, binaries, account, log);
    await clearLeftoverPostmaster(layout.clusterDir, log);

    const launch: LaunchContext = {
      layout,
      binaries,
      account,
      settings: options.settings ?? {},
      timeoutMs: options.startTimeoutMs ?? 60_000,
      log,
    };
    const started = await startWithFreePort(launch, auth);
    await claimOwnership(layout.ownerFile);
    return new EmbeddedCluster(layout, started.auth, started.server, log);
  }

  /** The port the server listens on (127.0.0.1). */
  get port(): number {
    return this.auth.port;
  }

  /** The postmaster's process id. */
  get pid(): number | undefined {
    return this.server.pid;
  }

  /** The cluster folder (PGDATA). */
  get clusterDir(): string {
    return this.layout.clusterDir;
  }

  /** A superuser connection URL for `database` (default: the maintenance database). */
  urlFor(database = 'postgres'): string {
    const password = encodeURIComponent(this.auth.password);
    const name = encodeURIComponent(database);
    return `postgres://${this.auth.superuser}:${password}@127.0.0.1:${this.auth.port}/${name}`;
  }

  /** Creates `database` unless it exists already. */
  async ensureDatabase(database: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.urlFor() });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
        this.log.info({ database }, 'created database');
      }
    } catch (error) {
      // Another process may have created it between the check and the create.
      if ((error as { code?: string }).code !== '42P04') throw error;
    } finally {
      await client.end();
    }
  }

  /** Shuts the server down cleanly, so the next start needs no crash recovery. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const pid = this.server.pid;
    if (pid === undefined) return;
    const how = await stopPostmaster(pid);
    await releaseOwnership(this.layout.ownerFile);
    this.log.info({ pid, how }, 'PostgreSQL stopped');
  }
}

async function prepareBinaries(
  account: ServerAccount,
  runtimeRoot: string | undefined,
  log: Logger,
): Promise<PostgresBinaries> {
  const shipped = await locateShippedBinaries();
  if (!runningAsRoot()) return shipped;
  const copy = await provideReachableCopy(shipped, runtimeRoot ?? DEFAULT_RUNTIME_ROOT, log);
  await grantTraverse(copy.root, account, log);
  return copy;
}

/** Two studios on one data folder would fight over its server: the second one stops here. */
async function refuseIfInUse(layout: ClusterLayout): Promise<void> {
  const owner = await findOtherOwner(layout.ownerFile);
  if (owner === undefined) return;
  throw new DatabaseError(
    'CLUSTER_IN_USE',
    `Another VLog Studio (process ${owner}) is using the data folder ${layout.dataDir}. ` +
      'Close it first, or give this one another data folder (VLOG_DATA_DIR).',
    { pid: owner, dataDir: layout.dataDir },
  );
}

type ClusterState = 'absent' | 'ready' | 'incomplete';

/** Decides what the cluster folder holds; refuses a cluster made by another major version. */
async function inspectCluster(layout: ClusterLayout, majorVersion: string): Promise<ClusterState> {
  const entries = await fs.readdir(layout.clusterDir).catch(() => undefined);
  if (entries === undefined || entries.length === 0) return 'absent';

  const version = await fs
    .readFile(path.join(layout.clusterDir, 'PG_VERSION'), 'utf8')
    .then((text) => text.trim())
    .catch(() => undefined);
  if (version !== undefined && version !== majorVersion) {
    throw new DatabaseError(
      'CLUSTER_VERSION_MISMATCH',
      `The library database in ${layout.clusterDir} was made by PostgreSQL ${version}, but ` +
        `this VLog Studio runs PostgreSQL ${majorVersion}. Nothing was changed. Open it with ` +
        'the VLog Studio version that made it and export the library, then import it here ' +
        '(or upgrade the folder with pg_upgrade).',
      { clusterDir: layout.clusterDir, clusterVersion: version, serverVersion: majorVersion },
    );
  }
  if (version === undefined || !(await exists(layout.markerFile))) return 'incomplete';
  return 'ready';
}

async function readAuth(layout: ClusterLayout): Promise<ClusterAuth | undefined> {
  const text = await fs.readFile(layout.authFile, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = authSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}

async function writeAuth(layout: ClusterLayout, auth: ClusterAuth): Promise<void> {
  const staging = `${layout.authFile}.${process.pid}.tmp`;
  await fs.writeFile(staging, `${JSON.stringify(auth, null, 2)}\n`, { mode: 0o600 });
  await fs.chmod(staging, 0o600);
  await fs.rename(staging, layout.authFile);
}

/** Makes sure a complete cluster exists and returns the credentials that open it. */
async function prepareCluster(
  layout: ClusterLayout,
  binaries: PostgresBinaries,
  account: ServerAccount,
  log: Logger,
): Promise<ClusterAuth> {
  let state = await inspectCluster(layout, binaries.majorVersion);
  if (state === 'incomplete') {
    const aside = `${layout.clusterDir}.incomplete-${new Date().toISOString().replace(/:/g, '-')}`;
    await fs.rename(layout.clusterDir, aside);
    log.warn(
      { clusterDir: layout.clusterDir, movedTo: aside },
      'moved an unfinished cluster aside',
    );
    state = 'absent';
  }

  if (state === 'absent') {
    const auth = { superuser: SUPERUSER, password: randomBytes(24).toString('base64url') };
    await initCluster(layout, binaries, account, auth, log);
    await writeAuth(layout, auth);
    return auth;
  }

  const auth = await readAuth(layout);
  if (!auth) {
    throw new DatabaseError(
      'CLUSTER_START_FAILED',
      `The password file ${layout.authFile} of the library database is missing or damaged. ` +
        'Restore it from a backup of the data folder.',
      { authFile: layout.authFile },
    );
  }
  await repairOwnership(layout, account);
  return auth;
}

async function repairOwnership(layout: ClusterLayout, account: ServerAccount): Promise<void> {
  if (account.uid === undefined) return;
  const stat = await fs.stat(layout.clusterDir);
  if (stat.uid !== account.uid) await handOver(layout.clusterDir, account);
  await fs.chmod(layout.clusterDir, 0o700);
}

/** Runs initdb in an empty folder; the marker written last proves it finished. */
async function initCluster(
  layout: ClusterLayout,
  binaries: PostgresBinaries,
  account: ServerAccount,
  auth: ClusterAuth,
  log: Logger,
): Promise<void> {
  await fs.mkdir(layout.clusterDir, { recursive: true, mode: 0o700 });
  if ((await fs.readdir(layout.clusterDir)).length > 0) {
    throw new Error(`Refusing to run initdb in non-empty folder ${layout.clusterDir}`);
  }
  await handOver(layout.clusterDir, account);

  const passwordFile = path.join(layout.dataDir, `.postgres-initdb-${process.pid}.pw`);
  await fs.writeFile(passwordFile, `${auth.password}\n`, { mode: 0o600 });
  await handOver(passwordFile, account);
  const args = [
    ...['-D', layout.clusterDir, '--encoding=UTF8', '--locale=C'],
    ...[`--username=${auth.superuser}`, `--pwfile=${passwordFile}`, '--auth=scram-sha-256'],
  ];
  log.info({ clusterDir: layout.clusterDir }, 'creating PostgreSQL cluster');
  try {
    await run(binaries.initdb, args, { env: serverEnv(binaries), ...ids(account) });
  } catch (cause) {
    const output = (cause as { stderr?: string }).stderr ?? '';
    throw new DatabaseError(
      'CLUSTER_INIT_FAILED',
      `Could not create the library database in ${layout.clusterDir}: ${tail(output)}`,
      { clusterDir: layout.clusterDir },
      { cause },
    );
  } finally {
    await fs.rm(passwordFile, { force: true });
  }

  await fs.mkdir(layout.logDir, { recursive: true, mode: 0o700 });
  const marker = { createdAt: new Date().toISOString(), majorVersion: binaries.majorVersion };
  await fs.writeFile(layout.markerFile, `${JSON.stringify(marker)}\n`, { mode: 0o600 });
  await handOver(layout.clusterDir, account);
}

function serverEnv(binaries: PostgresBinaries): NodeJS.ProcessEnv {
  // A fixed locale: the cluster must not depend on the machine's language settings.
  return {
    PATH: `${path.join(binaries.root, 'bin')}${path.delimiter}${process.env['PATH'] ?? ''}`,
    LC_ALL: 'C',
    LANG: 'C',
    TZ: process.env['TZ'] ?? 'UTC',
  };
}

function ids(account: ServerAccount): { uid?: number; gid?: number } {
  return account.uid === undefined ? {} : { uid: account.uid, gid: account.gid };
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/**
 * A postmaster.pid from an earlier run: a live server of ours is stopped cleanly (it is
 * restarted with current settings next); a dead pid or one now used by another program is
 * removed, since PostgreSQL would refuse to start over the latter.
 */
async function clearLeftoverPostmaster(clusterDir: string, log: Logger): Promise<void> {
  const lock = await readPostmasterLock(clusterDir);
  if (!lock) return;

  if ((await isAlive(lock.pid)) && (await isPostmasterOf(lock.pid, clusterDir))) {
    log.warn({ pid: lock.pid }, 'stopping a PostgreSQL server left running by an earlier run');
    const how = await stopPostmaster(lock.pid);
    log.info({ pid: lock.pid, how }, 'earlier PostgreSQL server stopped');
  }

  const after = await readPostmasterLock(clusterDir);
  if (!after) return;
  if ((await isAlive(after.pid)) && (await isPostmasterOf(after.pid, clusterDir))) {
    throw new DatabaseError(
      'CLUSTER_START_FAILED',
      `A PostgreSQL server (pid ${after.pid}) keeps running on ${clusterDir} and did not stop.`,
      { pid: after.pid, clusterDir },
    );
  }
  await fs.rm(path.join(clusterDir, 'postmaster.pid'), { force: true });
  log.info({ pid: after.pid }, 'removed a stale postmaster.pid');
}

async function choosePort(stored: number | undefined, log: Logger): Promise<number> {
  if (stored !== undefined && (await isPortFree(stored))) return stored;
  const port = await pickFreePort();
  if (stored !== undefined) log.warn({ stored, port }, 'stored port is taken; using another');
  return port;
}

/** Everything needed to launch the server once the cluster folder is ready. */
interface LaunchContext {
  layout: ClusterLayout;
  binaries: PostgresBinaries;
  account: ServerAccount;
  settings: Record<string, string>;
  timeoutMs: number;
  log: Logger;
}

interface StartedServer {
  auth: Required<ClusterAuth>;
  server: ChildProcess;
}

/** Starts the server; if the port was grabbed between the check and the bind, tries another. */
async function startWithFreePort(launch: LaunchContext, auth: ClusterAuth): Promise<StartedServer> {
  const { layout, log } = launch;
  for (let attempt = 1; ; attempt += 1) {
    const port = await choosePort(attempt === 1 ? auth.port : undefined, log);
    const portedAuth = { ...auth, port };
    await writeAuth(layout, portedAuth);
    try {
      const server = await launchServer(launch, port);
      await waitUntilReady(server, layout, portedAuth, launch.timeoutMs);
      log.info({ port, pid: server.pid }, 'PostgreSQL ready');
      return { auth: portedAuth, server };
    } catch (error) {
      const portLost = error instanceof DatabaseError && error.context['portInUse'] === true;
      if (!portLost || attempt >= 3) throw error;
      log.warn({ port }, 'port was taken while PostgreSQL started; trying another');
    }
  }
}

async function rotateLog(layout: ClusterLayout, account: ServerAccount): Promise<void> {
  await fs.mkdir(layout.logDir, { recursive: true, mode: 0o700 });
  const size = await fs.stat(layout.logFile).then(
    (s) => s.size,
    () => 0,
  );
  if (size > LOG_ROTATE_BYTES) await fs.rename(layout.logFile, `${layout.logFile}.1`);
  await handOver(layout.logDir, account);
}

/** Spawns the postmaster in its own session, so a terminal's Ctrl-C does not reach it. */
async function launchServer(launch: LaunchContext, port: number): Promise<ChildProcess> {
  const { layout, binaries, account, settings, log } = launch;
  await rotateLog(layout, account);
  const serverSettings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...settings,
  };
  const args = ['-D', layout.clusterDir, '-p', String(port)];
  for (const [name, value] of Object.entries(serverSettings)) args.push('-c', `${name}=${value}`);

  const logFd = openSync(layout.logFile, 'a', 0o600);
  try {
    const server = spawn(binaries.postgres, args, {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: serverEnv(binaries),
      ...ids(account),
    });
    server.unref();
    // A spawn failure (missing binary, bad uid) surfaces as an 'error' event; record it so
    // waitUntilReady reports it instead of an unhandled error.
    server.on('error', (error) => log.error({ err: error }, 'PostgreSQL could not be spawned'));
    log.debug({ pid: server.pid, port }, 'PostgreSQL starting');
    return server;
  } finally {
    closeSync(logFd);
  }
}

async function readLogTail(layout: ClusterLayout): Promise<string> {
  return tail(await fs.readFile(layout.logFile, 'utf8').catch(() => ''));
}

/** Polls with real connections until the server accepts one, exits, or time runs out. */
async function waitUntilReady(
  server: ChildProcess,
  layout: ClusterLayout,
  auth: Required<ClusterAuth>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null || server.pid === undefined) {
      await startFailed(layout, auth.port, 'exited during start');
    }
    const outcome = await tryConnect(auth);
    if (outcome === 'ready') return;
    if (outcome === 'rejected') {
      if (server.pid !== undefined) await stopPostmaster(server.pid);
      throw new DatabaseError(
        'CLUSTER_START_FAILED',
        `The library database rejected the password in ${layout.authFile}. ` +
          'Restore that file from a backup of the data folder.',
        { authFile: layout.authFile },
      );
    }
    await sleep(150);
  }
  if (server.pid !== undefined) await stopPostmaster(server.pid);
  await startFailed(layout, auth.port, `did not accept connections within ${timeoutMs} ms`);
}

async function startFailed(layout: ClusterLayout, port: number, what: string): Promise<never> {
  const logTail = await readLogTail(layout);
  const portInUse = /could not bind|address already in use/i.test(logTail);
  throw new DatabaseError(
    'CLUSTER_START_FAILED',
    `PostgreSQL ${what} (port ${port}). Its log ${layout.logFile} ends with:\n${logTail}`,
    { port, logFile: layout.logFile, portInUse },
  );
}

async function tryConnect(auth: Required<ClusterAuth>): Promise<'ready' | 'waiting' | 'rejected'> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: auth.port,
    user: auth.superuser,
    password: auth.password,
    database: 'postgres',
    connectionTimeoutMillis: 2_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ready';
  } catch (error) {
    return (error as { code?: string }).code === '28P01' ? 'rejected' : 'waiting';
  } finally {
    await client.end().catch(() => undefined);
  }
}
