import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../src-main/log';
import { DatabaseError } from '../errors';

const run = promisify(execFile);

/** The OS account the PostgreSQL server runs as; undefined ids mean "the current user". */
export interface ServerAccount {
  name: string;
  uid: number | undefined;
  gid: number | undefined;
}

const SERVER_ACCOUNT_NAME = 'postgres';

/** True when this process runs as root, where PostgreSQL refuses to start. */
export function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function lookupIds(name: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const uid = Number((await run('id', ['-u', name])).stdout.trim());
    const gid = Number((await run('id', ['-g', name])).stdout.trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The account to run the server as: the current user normally; as root, the `postgres`
 * system account, created if the machine has none.
 */
export async function resolveServerAccount(log: Logger): Promise<ServerAccount> {
  if (!runningAsRoot()) {
    return { name: process.env['USER'] ?? 'current user', uid: undefined, gid: undefined };
  }
  let ids = await lookupIds(SERVER_ACCOUNT_NAME);
  if (!ids) {
    log.info({ account: SERVER_ACCOUNT_NAME }, 'creating system account for PostgreSQL');
    try {
      await run('useradd', ['--system', '--no-create-home', SERVER_ACCOUNT_NAME]);
    } catch (cause) {
      throw new DatabaseError(
        'CLUSTER_PERMISSIONS',
        'PostgreSQL cannot run as root and the "postgres" account could not be created. ' +
          'Create it (useradd --system postgres) or run VLog Studio as a normal user.',
        {},
        { cause },
      );
    }
    ids = await lookupIds(SERVER_ACCOUNT_NAME);
  }
  if (!ids) {
    throw new DatabaseError(
      'CLUSTER_PERMISSIONS',
      'The "postgres" account exists but its user and group ids could not be read.',
    );
  }
  return { name: SERVER_ACCOUNT_NAME, ...ids };
}

/** Gives the server account ownership of a path (and everything under it). */
export async function handOver(target: string, account: ServerAccount): Promise<void> {
  if (account.uid === undefined || account.gid === undefined) return;
  await run('chown', ['-R', `${account.uid}:${account.gid}`, target]);
}

function canTraverse(stat: { mode: number; uid: number; gid: number }, account: ServerAccount) {
  if (stat.uid === account.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === account.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/**
 * Makes sure the server account can walk down to `folder`: an ancestor it cannot enter gets
 * search permission for others (never read), and a warning says so.
 */
export async function grantTraverse(
  folder: string,
  account: ServerAccount,
  log: Logger,
): Promise<void> {
  if (account.uid === undefined) return;
  const ancestors: string[] = [];
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    ancestors.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of ancestors) {
    const stat = await fs.stat(dir);
    if (canTraverse(stat, account)) continue;
    await fs.chmod(dir, (stat.mode & 0o7777) | 0o001);
    log.warn(
      { folder: dir, account: account.name },
      'granted the PostgreSQL account permission to pass through a folder on the data path',
    );
  }
}
