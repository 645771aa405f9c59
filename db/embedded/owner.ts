import { promises as fs } from 'node:fs';
import { isAlive } from './postmaster';

// Which studio process runs the cluster of a data folder. The process start time is kept with
// the pid so that a pid reused by another program after a crash is not taken for the owner.

interface Owner {
  pid: number;
  startTime: string;
}

async function startTimeOf(pid: number): Promise<string | undefined> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  // Fields after the parenthesised command name; the start time is field 22 overall.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

/** The pid of another live studio process that owns the cluster, if there is one. */
export async function findOtherOwner(ownerFile: string): Promise<number | undefined> {
  const text = await fs.readFile(ownerFile, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let owner: Owner;
  try {
    owner = JSON.parse(text) as Owner;
  } catch {
    return undefined;
  }
  if (owner.pid === process.pid || !(await isAlive(owner.pid))) return undefined;
  const startTime = await startTimeOf(owner.pid);
  // Without /proc the start time cannot be compared; a live pid is then trusted as the owner.
  if (startTime !== undefined && startTime !== owner.startTime) return undefined;
  return owner.pid;
}

/** Records this process as the cluster's owner. */
export async function claimOwnership(ownerFile: string): Promise<void> {
  const owner: Owner = { pid: process.pid, startTime: (await startTimeOf(process.pid)) ?? '' };
  await fs.writeFile(ownerFile, `${JSON.stringify(owner)}\n`, { mode: 0o600 });
}

/** Forgets the owner, if it is this process. */
export async function releaseOwnership(ownerFile: string): Promise<void> {
  const text = await fs.readFile(ownerFile, 'utf8').catch(() => '');
  if (text.includes(`"pid":${process.pid},`)) await fs.rm(ownerFile, { force: true });
}
