import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturePath } from '../../tests/support/fixtures';

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) of every child this process has waited for, from
 * /proc/self/stat: the kernel adds a child's times there when it is reaped.
 */
export function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command name start at field 3 (state); cutime and cstime are 16 and 17.
  const cutime = Number(fields[16 - 3]);
  const cstime = Number(fields[17 - 3]);
  return (cutime + cstime) / CLOCK_TICKS_PER_SECOND;
}

/** Runs a tool with no shell and resolves when it exits 0. */
export function runTool(file: string, args: string[], showOutput = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const stdout = showOutput ? 'inherit' : 'ignore';
    const child = spawn(file, args, { stdio: ['ignore', stdout, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${file} exited ${code}: ${stderr}`)),
    );
  });
}

/** A 20 s 1080p input: flower.mp4 looped and scaled, so the benchmark runs anywhere. */
export async function makeBenchInput(
  ffmpegPath: string,
): Promise<{ input: string; dir: string; durationSeconds: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vlog-bench-'));
  const input = path.join(dir, 'flower-20s-1080p.mp4');
  const durationSeconds = 20;
  await runTool(ffmpegPath, [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-stream_loop',
    '4',
    '-i',
    `file:${fixturePath('flower.mp4')}`,
    '-t',
    String(durationSeconds),
    '-vf',
    'scale=1920:1080',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-b:v',
    '6000k',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-movflags',
    '+faststart',
    input,
  ]);
  return { input, dir, durationSeconds };
}
