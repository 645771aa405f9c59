import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataPaths } from '../../src-main/library/paths';

export const repo = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** The bundled ffmpeg 4.1 beside the system's 5.1: resume must work with both. */
export const BUNDLED_FFMPEG = path.join(repo, 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg');
export const SYSTEM_FFMPEG = '/usr/bin/ffmpeg';

/** The ffmpeg builds present here, by name. */
export function ffmpegBuilds(): Array<{ name: string; ffmpegPath: string }> {
  const builds = [
    { name: 'system', ffmpegPath: process.env['VLOG_FFMPEG_PATH'] ?? SYSTEM_FFMPEG },
    { name: 'bundled 4.1', ffmpegPath: BUNDLED_FFMPEG },
  ];
  return builds.filter((b) => existsSync(b.ffmpegPath));
}

/** A studio worker in its own process, to be killed with SIGKILL part way through a job. */
const childScript = (root: string) => `
import { connectLibrary } from '${repo}/db/connection';
import { StudioEventBus } from '${repo}/src-main/events/bus';
import { startLocalWorker } from '${repo}/src-main/jobs/local-worker';
import { dataPaths } from '${repo}/src-main/library/paths';
import { createLogger } from '${repo}/src-main/log';
import { locateMediaTools } from '${repo}/src-main/media/tools';

const [url, workerId, pidDir, ffmpegPath] = process.argv.slice(2);
const { db } = connectLibrary(url);
const media = await locateMediaTools({ ffmpegPath });
const paths = dataPaths(${JSON.stringify(root)});
await startLocalWorker(
  { db, paths, bus: new StudioEventBus(), media },
  { log: createLogger('child'), workerId, pidDir },
);
`;

/** Files of a video's current attempt folders under work/, found by relative name. */
export async function attemptFiles(paths: DataPaths, videoId: number, relative: string) {
  const root = path.join(paths.work, String(videoId));
  const names = await readdir(root).catch(() => [] as string[]);
  return names
    .filter((name) => name.startsWith('attempt-'))
    .map((name) => path.join(root, name, relative))
    .filter((file) => existsSync(file));
}

/**
 * Runs a worker in a child process until `ready()` says so (polled every 20 ms), then kills
 * it with SIGKILL, like the OOM killer or a power cut would.
 */
export async function runWorkerUntilKilled(options: {
  paths: DataPaths;
  databaseUrl: string;
  workerId: string;
  pidDir: string;
  ffmpegPath: string;
  ready: () => Promise<boolean>;
  timeoutMs?: number;
}): Promise<void> {
  const script = path.join(options.paths.root, 'worker-child.mts');
  await writeFile(script, childScript(options.paths.root));
  const args = [script, options.databaseUrl, options.workerId, options.pidDir, options.ffmpegPath];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: repo,
    env: { ...process.env, VLOG_LOG_LEVEL: process.env['RECOVERY_CHILD_LOG'] ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let alive = true;
  void exited.then(() => (alive = false));
  while (!(await options.ready())) {
    if (!alive) throw new Error(`the worker exited before the kill: ${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the worker never reached the kill point: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  await exited;
}

/** Identity of a file on disk: a rewritten file gets a new inode or modification time. */
export async function fileIdentity(file: string): Promise<string> {
  const info = await stat(file, { bigint: true });
  return `${info.ino}:${info.mtimeNs}:${info.size}`;
}

/** Processes whose command line mentions `needle` (from /proc), for orphan checks. */
export async function processesMentioning(needle: string): Promise<number[]> {
  const { readFile } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(needle)) pids.push(Number(entry));
  }
  return pids;
}
