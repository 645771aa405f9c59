import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';
import { MediaError, quoteCommand, stderrTail } from './errors';
import type { MediaTools } from './tools';
import { forgetChild, watchChild } from './watchdog';

/** Arguments every ffmpeg run gets: no prompts, progress as key=value lines on stdout. */
export const FFMPEG_GLOBAL_ARGS = [
  '-nostdin',
  '-hide_banner',
  '-y',
  '-progress',
  'pipe:1',
  '-nostats',
] as const;

const STDERR_KEEP_BYTES = 64 * 1024;
const KILL_GRACE_MS = 3000;
const NO_SPACE_PATTERN = /No space left on device/i;

/** Children alive right now, so shutdown can stop every encode the studio started. */
const liveChildren = new Set<ChildProcess>();

export interface RunOptions {
  log: Logger;
  signal?: AbortSignal | undefined;
  /** Expected output duration; with it, progress is reported as a percentage. */
  durationSeconds?: number | undefined;
  onProgress?: ((percent: number) => void) | undefined;
  /** A folder where each child's pid is recorded, so a restart can reap orphans. */
  pidDir?: string | undefined;
}

/** Runs ffmpeg (never through a shell) and resolves with its stderr tail when it succeeds. */
export async function runFfmpeg(
  tools: MediaTools,
  args: readonly string[],
  options: RunOptions,
): Promise<{ stderrTail: string }> {
  const fullArgs = [...FFMPEG_GLOBAL_ARGS, ...args];
  const progress = new ProgressParser(options.durationSeconds, options.onProgress);
  const result = await runChild(tools.ffmpegPath, fullArgs, {
    ...options,
    onStdout: (chunk) => progress.push(chunk),
  });
  return { stderrTail: stderrTail(result.stderr) };
}

/** Runs ffprobe with JSON output and returns the parsed document for the caller to validate. */
export async function runFfprobeJson(
  tools: MediaTools,
  args: readonly string[],
  options: { log: Logger; signal?: AbortSignal | undefined },
): Promise<unknown> {
  const fullArgs = ['-hide_banner', '-v', 'error', '-print_format', 'json', ...args];
  let stdout = '';
  await runChild(tools.ffprobePath, fullArgs, {
    ...options,
    onStdout: (chunk) => {
      stdout += chunk;
    },
  });
  try {
    return JSON.parse(stdout) as unknown;
  } catch (error) {
    throw new MediaError('FFMPEG_FAILED', 'ffprobe printed output that is not JSON.', {
      detail: { command: quoteCommand(tools.ffprobePath, fullArgs) },
      cause: error,
    });
  }
}

interface ChildOptions {
  log: Logger;
  signal?: AbortSignal | undefined;
  pidDir?: string | undefined;
  onStdout: (chunk: string) => void;
}

function runChild(
  file: string,
  args: string[],
  options: ChildOptions,
): Promise<{ stderr: string }> {
  const command = quoteCommand(file, args);
  if (options.signal?.aborted) return Promise.reject(cancelled(command));

  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
    const pidFile = recordPid(child, command, options.pidDir, options.log);
    liveChildren.add(child);
    watchChild(child.pid);
    let stderr = '';
    let aborted = false;

    child.stdout.setEncoding('utf8').on('data', options.onStdout);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP_BYTES);
    });
    const onAbort = (): void => {
      aborted = true;
      terminate(child);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.once('error', (error) => {
      cleanup();
      reject(spawnFailed(file, command, error));
    });
    child.once('close', (code, signal) => {
      cleanup();
      if (aborted) return reject(cancelled(command));
      // ffmpeg may exit 0 after failing to write its output, so the disk check comes first.
      if (code === 0 && !NO_SPACE_PATTERN.test(stderr)) return resolve({ stderr });
      reject(exitFailure(file, command, stderr, code, signal));
    });

    function cleanup(): void {
      liveChildren.delete(child);
      forgetChild(child.pid);
      options.signal?.removeEventListener('abort', onAbort);
      if (pidFile !== undefined) rmSync(pidFile, { force: true });
    }
    options.log.debug({ command, file, args, pid: child.pid }, 'media tool started');
  });
}

function recordPid(
  child: ChildProcess,
  command: string,
  pidDir: string | undefined,
  log: Logger,
): string | undefined {
  if (pidDir === undefined || child.pid === undefined) return undefined;
  const file = path.join(pidDir, `${child.pid}.pid`);
  try {
    mkdirSync(pidDir, { recursive: true });
    writeFileSync(file, command);
    return file;
  } catch (error) {
    // The watchdog still covers this child; only the restart-time reaping loses it.
    log.warn({ err: error, pidDir }, 'could not record media tool pid');
    return undefined;
  }
}

/** SIGTERM lets ffmpeg finish its files cleanly; SIGKILL follows if it does not stop in time. */
function terminate(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, KILL_GRACE_MS);
  timer.unref();
  child.once('close', () => clearTimeout(timer));
}

/** Stops every running ffmpeg/ffprobe child; resolves once all have exited. */
export async function killAllFfmpeg(): Promise<void> {
  const children = [...liveChildren];
  const exits = children.map(
    (child) => new Promise<void>((resolve) => child.once('close', () => resolve())),
  );
  children.forEach(terminate);
  await Promise.all(exits);
}

/** How many media tool children are running, for status pages and tests. */
export function liveFfmpegCount(): number {
  return liveChildren.size;
}

/**
 * Kills ffmpeg processes a previous run left behind (recorded in `pidDir`), checking
 * /proc/<pid>/cmdline first so a recycled pid never kills an unrelated process.
 */
export function reapOrphanedFfmpeg(pidDir: string, log?: Logger): number {
  let entries: string[];
  try {
    entries = readdirSync(pidDir).filter((name) => /^\d+\.pid$/.test(name));
  } catch {
    return 0;
  }
  let killed = 0;
  for (const entry of entries) {
    const pid = Number(entry.slice(0, -'.pid'.length));
    if (isMediaToolProcess(pid) && killProcess(pid)) {
      killed += 1;
      log?.warn({ pid }, 'killed media tool left over from a previous run');
    }
    rmSync(path.join(pidDir, entry), { force: true });
  }
  return killed;
}

function isMediaToolProcess(pid: number): boolean {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return /ff(mpeg|probe)[^/]*$/.test(path.basename(argv0));
  } catch {
    return false;
  }
}

function killProcess(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

function cancelled(command: string): MediaError {
  return new MediaError('CANCELLED', 'The media task was cancelled.', { detail: { command } });
}

function spawnFailed(file: string, command: string, error: Error): MediaError {
  return new MediaError(
    'TOOLS_MISSING',
    `Could not start ${file}: ${error.message}. Set VLOG_FFMPEG_PATH / VLOG_FFPROBE_PATH ` +
      'to working binaries.',
    { detail: { command }, cause: error },
  );
}

function exitFailure(
  file: string,
  command: string,
  stderr: string,
  exitCode: number | null,
  signal: NodeJS.Signals | null,
): MediaError {
  const tail = stderrTail(stderr);
  const detail = { command, stderrTail: tail, exitCode, signal };
  if (NO_SPACE_PATTERN.test(stderr)) {
    return new MediaError(
      'NO_SPACE',
      'No space left on device: free disk space in the data folder, then try again.',
      { detail, retryable: false },
    );
  }
  const lastLine = tail.split('\n').at(-1) ?? '';
  const how = signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
  const tool = path.basename(file);
  return new MediaError('FFMPEG_FAILED', `${tool} ${how}: ${lastLine}`, { detail });
}

/**
 * Turns ffmpeg's `-progress` key=value stream into a percentage. Old builds report the
 * position in out_time_ms (which holds microseconds despite its name), newer in out_time_us.
 */
export class ProgressParser {
  private buffer = '';
  private lastPercent = -1;

  constructor(
    private readonly durationSeconds: number | undefined,
    private readonly onProgress: ((percent: number) => void) | undefined,
  ) {}

  /** Feeds a chunk of stdout; calls onProgress when the whole percentage changes. */
  push(chunk: string): void {
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    lines.forEach((line) => this.readLine(line.trim()));
  }

  private readLine(line: string): void {
    const [key, value] = line.split('=', 2);
    if (key === 'progress' && value === 'end') return this.emit(100);
    if (key !== 'out_time_us' && key !== 'out_time_ms') return;
    const micros = Number(value);
    if (!Number.isFinite(micros) || !this.durationSeconds || this.durationSeconds <= 0) return;
    this.emit(Math.floor((micros / 1e6 / this.durationSeconds) * 100));
  }

  private emit(raw: number): void {
    const percent = clampPercent(raw);
    if (percent === this.lastPercent) return;
    this.lastPercent = percent;
    this.onProgress?.(percent);
  }
}

/** Clamps a progress value to a whole number in 0..100. */
export function clampPercent(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(100, Math.max(0, Math.round(value)));
}
