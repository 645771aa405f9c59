import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { quoteCommand, stderrTail } from './errors';
import {
  clampPercent,
  killAllFfmpeg,
  liveFfmpegCount,
  ProgressParser,
  reapOrphanedFfmpeg,
  runFfmpeg,
} from './runner';
import { mediaToolsForTests } from './testing';
import type { MediaTools } from './tools';

const log = createLogger('media-test');

describe('ProgressParser', () => {
  function feed(chunks: string[], duration: number | undefined): number[] {
    const seen: number[] = [];
    const parser = new ProgressParser(duration, (p) => seen.push(p));
    chunks.forEach((chunk) => parser.push(chunk));
    return seen;
  }

  it('turns out_time_us into a percentage, across chunk boundaries', () => {
    const seen = feed(['frame=1\nout_time_us=2500', '000\nprogress=continue\n'], 10);
    expect(seen).toEqual([25]);
  });

  it('reads out_time_ms as microseconds (old ffmpeg builds), ignores N/A', () => {
    expect(feed(['out_time_ms=5000000\nout_time_us=N/A\n'], 10)).toEqual([50]);
  });

  it('clamps to 0..100, reports 100 at the end and never repeats a value', () => {
    expect(feed(['out_time_us=-5\nout_time_us=99000000\nprogress=end\n'], 10)).toEqual([0, 100]);
  });

  it('reports nothing but the end without a known duration', () => {
    expect(feed(['out_time_us=1000000\nprogress=end\n'], undefined)).toEqual([100]);
  });

  it('clamps odd values', () => {
    expect([clampPercent(-1), clampPercent(100.4), clampPercent(Number.NaN)]).toEqual([0, 100, 0]);
  });
});

describe('error helpers', () => {
  it('quotes a command line for people to read', () => {
    expect(quoteCommand('/usr/bin/ffmpeg', ['-i', "file:/a b/it's $(x).mp4"])).toBe(
      `/usr/bin/ffmpeg -i 'file:/a b/it'\\''s $(x).mp4'`,
    );
  });

  it('keeps the last lines of stderr', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    expect(stderrTail(lines, 2)).toBe('line 28\nline 29');
  });
});

describe('runFfmpeg on the real binary', () => {
  let tools: MediaTools;
  let pidDir: string;
  beforeAll(async () => {
    tools = await mediaToolsForTests();
    pidDir = mkdtempSync(path.join(os.tmpdir(), 'vlog-pids-'));
  });
  afterAll(() => rmSync(pidDir, { recursive: true, force: true }));

  const testSource = (seconds: number): string[] => [
    '-f',
    'lavfi',
    '-i',
    `testsrc=d=${seconds}:s=160x120:r=25`,
  ];

  it('reports progress up to 100 and removes its pid file', async () => {
    const seen: number[] = [];
    await runFfmpeg(tools, [...testSource(2), '-f', 'null', '-'], {
      log,
      pidDir,
      durationSeconds: 2,
      onProgress: (p) => seen.push(p),
    });
    expect(seen.at(-1)).toBe(100);
    expect(readdirSync(pidDir)).toEqual([]);
  });

  it('fails with the command and stderr tail when ffmpeg exits non-zero', async () => {
    const run = runFfmpeg(tools, ['-i', 'file:/nonexistent/in.mp4', '-f', 'null', '-'], { log });
    await expect(run).rejects.toMatchObject({
      code: 'FFMPEG_FAILED',
      retryable: true,
      detail: { stderrTail: expect.stringContaining('No such file'), exitCode: 1 },
    });
    await expect(run).rejects.toHaveProperty('detail.command', expect.stringContaining('-nostdin'));
  });

  it('maps a full disk to NO_SPACE even when ffmpeg exits 0', async () => {
    const run = runFfmpeg(tools, [...testSource(1), '-f', 'mpegts', '/dev/full'], { log });
    await expect(run).rejects.toMatchObject({ code: 'NO_SPACE', retryable: false });
  });

  it('kills ffmpeg and rejects with CANCELLED when aborted', async () => {
    const controller = new AbortController();
    const run = runFfmpeg(tools, ['-re', ...testSource(60), '-f', 'null', '-'], {
      log,
      pidDir,
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(liveFfmpegCount()).toBe(1);
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED', retryable: false });
    expect(liveFfmpegCount()).toBe(0);
    expect(readdirSync(pidDir)).toEqual([]);
  });

  it('stops every live child on shutdown', async () => {
    const runs = [1, 2].map(() =>
      runFfmpeg(tools, ['-re', ...testSource(60), '-f', 'null', '-'], { log }).catch((e) => e),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(liveFfmpegCount()).toBe(2);
    await killAllFfmpeg();
    expect(liveFfmpegCount()).toBe(0);
    for (const result of await Promise.all(runs)) {
      expect(result).toMatchObject({ code: 'FFMPEG_FAILED' });
    }
  });

  it('reaps ffmpeg left by a previous run but spares an unrelated process', async () => {
    const orphan = spawn(
      tools.ffmpegPath,
      ['-nostdin', '-re', ...testSource(60), '-f', 'null', '-'],
      {
        stdio: 'ignore',
      },
    );
    const bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => orphan.once('exit', resolve));
    writeFileSync(path.join(pidDir, `${orphan.pid}.pid`), 'ffmpeg ...');
    writeFileSync(path.join(pidDir, `${bystander.pid}.pid`), 'ffmpeg ...');
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(reapOrphanedFfmpeg(pidDir, log)).toBe(1);
    expect(await exited).toBeDefined();
    expect(bystander.exitCode).toBeNull();
    expect(existsSync(path.join(pidDir, `${bystander.pid}.pid`))).toBe(false);
    bystander.kill();
  });
});
