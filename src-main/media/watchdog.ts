import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';

/**
 * ffmpeg ignores SIGPIPE, so it keeps encoding when the studio dies (measured with both
 * builds here). A tiny helper process holds a pipe from the studio; when the studio dies
 * the pipe closes and the helper kills every ffmpeg it was told about.
 */
const WATCHDOG_SCRIPT = `
const pids = new Set();
let pending = '';
for (const signal of ['SIGINT', 'SIGHUP']) process.on(signal, () => {});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\\n');
  pending = lines.pop();
  for (const line of lines) {
    const pid = Number(line.slice(1));
    if (line[0] === '+') pids.add(pid); else pids.delete(pid);
  }
});
process.stdin.on('end', () => {
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  process.exit(0);
});
`;

let watchdog: ChildProcess | undefined;
let broken = false;

function ensureWatchdog(): Writable | undefined {
  if (broken) return undefined;
  if (watchdog?.stdin) return watchdog.stdin;
  try {
    // In Electron, execPath is the Electron binary; this makes it behave as plain Node.
    watchdog = spawn(process.execPath, ['-e', WATCHDOG_SCRIPT], {
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      shell: false,
    });
  } catch {
    broken = true;
    return undefined;
  }
  watchdog.once('error', () => {
    broken = true;
  });
  watchdog.once('exit', () => {
    watchdog = undefined;
  });
  watchdog.unref();
  const stdin = watchdog.stdin as (Writable & { unref?: () => void }) | null;
  stdin?.on('error', () => undefined);
  stdin?.unref?.();
  return stdin ?? undefined;
}

/** Asks the watchdog to kill `pid` if the studio dies before the child exits. */
export function watchChild(pid: number | undefined): void {
  if (pid !== undefined) ensureWatchdog()?.write(`+${pid}\n`);
}

/** The child exited on its own: the watchdog forgets it. */
export function forgetChild(pid: number | undefined): void {
  if (pid !== undefined && watchdog?.stdin) watchdog.stdin.write(`-${pid}\n`);
}
