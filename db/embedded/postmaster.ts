import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

const run = promisify(execFile);

/** What postmaster.pid says about the server that wrote it. */
export interface PostmasterLock {
  pid: number;
  dataDir: string;
  port: number | undefined;
}

/** Reads `<cluster>/postmaster.pid`; undefined when there is none or it is unreadable. */
export async function readPostmasterLock(clusterDir: string): Promise<PostmasterLock | undefined> {
  const text = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const port = Number(lines[3]);
  return { pid, dataDir: lines[1] ?? '', port: Number.isInteger(port) ? port : undefined };
}

async function processState(pid: number): Promise<string | undefined> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // The state letter follows the command name, which is in parentheses and may hold spaces.
  return stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const state = await processState(pid);
  return state !== 'Z' && state !== 'X';
}

async function commandLine(pid: number): Promise<string[]> {
  const raw = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (raw !== undefined) return raw.split('\0').filter(Boolean);
  try {
    return (await run('ps', ['-o', 'command=', '-p', String(pid)])).stdout.trim().split(/\s+/);
  } catch {
    return [];
  }
}

/** True when `pid` is a postgres server started on this very cluster folder. */
export async function isPostmasterOf(pid: number, clusterDir: string): Promise<boolean> {
  const args = await commandLine(pid);
  const program = path.basename(args[0] ?? '');
  if (program !== 'postgres' && program !== 'postmaster') return false;
  const dataIndex = args.indexOf('-D');
  const dataArg = dataIndex >= 0 ? args[dataIndex + 1] : undefined;
  if (dataArg === undefined) return false;
  const [theirs, ours] = await Promise.all([
    fs.realpath(dataArg).catch(() => dataArg),
    fs.realpath(clusterDir).catch(() => clusterDir),
  ]);
  return theirs === ours;
}

/** Waits until the process is gone; false if it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isAlive(pid))) return true;
    await sleep(100);
  }
  return !(await isAlive(pid));
}

/**
 * Stops a postmaster: SIGINT asks for a fast shutdown (no recovery needed next start); if it
 * hangs, SIGQUIT forces an immediate one. Returns how it ended.
 */
export async function stopPostmaster(
  pid: number,
  timeoutMs = 20_000,
): Promise<'fast' | 'immediate' | 'not-running'> {
  if (!(await isAlive(pid))) return 'not-running';
  signal(pid, 'SIGINT');
  if (await waitForExit(pid, timeoutMs)) return 'fast';
  signal(pid, 'SIGQUIT');
  if (await waitForExit(pid, 5_000)) return 'immediate';
  signal(pid, 'SIGKILL');
  await waitForExit(pid, 5_000);
  return 'immediate';
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
