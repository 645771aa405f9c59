import { spawn, type ChildProcess } from 'node:child_process';
import { openAsBlob, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { MediaTools } from '../../src-main/media/tools';

export interface ToolCommand {
  file: string;
  args: string[];
}

export interface StudioJobResult {
  wallSeconds: number;
  peakRssMiB: number;
  hwmMiB: number;
  commands: ToolCommand[];
  dataDir: string;
}

const secret = 'bench-admin-secret';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function memoryKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    if (child.exitCode !== null) throw new Error('the studio exited during start');
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the studio did not start');
}

/** Tool runs the studio logged (debug level), in the order it started them. */
function toolCommands(output: string): ToolCommand[] {
  const commands: ToolCommand[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('media tool started')) continue;
    const entry = JSON.parse(line) as { file: string; args: string[] };
    commands.push({ file: entry.file, args: entry.args });
  }
  return commands;
}

/**
 * Starts the built studio (out/main/serve.js) with a fresh data folder, uploads the input as a
 * script would, and times it from the end of the upload to `ready`, sampling the studio
 * process's memory meanwhile.
 */
export async function runStudioJob(input: string, tools: MediaTools): Promise<StudioJobResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-bench-studio-'));
  const [publicPort, adminPort] = [await freePort(), await freePort()];
  let output = '';
  const child = spawn(process.execPath, ['out/main/serve.js'], {
    env: {
      ...process.env,
      VLOG_DATA_DIR: dataDir,
      VLOG_ADMIN_PASSWORD: secret,
      VLOG_PUBLIC_HOST: '127.0.0.1',
      VLOG_PUBLIC_PORT: String(publicPort),
      VLOG_ADMIN_PORT: String(adminPort),
      VLOG_FFMPEG_PATH: tools.ffmpegPath,
      VLOG_FFPROBE_PATH: tools.ffprobePath,
      VLOG_LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const studio = `http://127.0.0.1:${adminPort}`;
  try {
    await waitForHealth(studio, child);
    // Only what the studio runs for this job counts, not its start-up checks of the encoders.
    const jobOutputStart = output.length;
    const form = new FormData();
    form.append('title', 'bench');
    form.append('file', await openAsBlob(input), path.basename(input));
    const created = await fetch(`${studio}/api/videos`, {
      method: 'POST',
      headers: { 'X-Admin-Secret': secret },
      body: form,
    }).then((r) => r.json() as Promise<{ id: number }>);
    const started = performance.now();
    const pid = child.pid!;
    let peak = 0;
    for (;;) {
      peak = Math.max(peak, memoryKiB(pid, 'VmRSS'));
      const video = await fetch(`${studio}/api/videos/${created.id}`, {
        headers: { 'X-Admin-Secret': secret },
      }).then((r) => r.json() as Promise<{ status: string; error_message: string | null }>);
      if (video.status === 'ready') break;
      if (video.status === 'failed') throw new Error(`the job failed: ${video.error_message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const hwm = memoryKiB(pid, 'VmHWM');
    return {
      wallSeconds,
      peakRssMiB: peak / 1024,
      hwmMiB: hwm / 1024,
      commands: toolCommands(output.slice(jobOutputStart)),
      dataDir,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
