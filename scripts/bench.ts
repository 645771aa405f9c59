// `npm run bench`: measures the studio on a 20 s 1080p input made from flower.mp4 and prints
// ratios against reference runs made in the same process, so that the figures hold on any
// machine: (a) the studio's wall time for a whole job against the same ffmpeg work run by hand,
// (b) the studio's one-decode ladder against one ffmpeg per rendition in CPU seconds, (c) the
// speed as a multiple of real time, (d) the studio process's peak memory during the job.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../src-main/log';
import { planLadder } from '../src-main/media/ladder';
import { probeSource } from '../src-main/media/probe';
import { locateMediaTools, type MediaTools } from '../src-main/media/tools';
import { transcodeLadder, type LadderStrategy } from '../src-main/media/transcode';
import { benchSprites } from './bench-sprites';
import { fixturePath } from '../tests/support/fixtures';
import { childCpuSeconds, makeBenchInput, runTool } from './bench/support';
import { runStudioJob, type ToolCommand } from './bench/studio-job';

const log = createLogger('bench');
log.level = 'warn';

interface Figure {
  name: string;
  value: string;
  target?: string;
  met?: boolean;
}

const figures: Figure[] = [];

function report(figure: Figure): void {
  figures.push(figure);
  const target = figure.target
    ? `  (target ${figure.target}: ${figure.met ? 'met' : 'NOT met'})`
    : '';
  console.log(`${figure.name}: ${figure.value}${target}`);
}

/** Runs, one after another, exactly the ffmpeg and ffprobe commands the studio ran. */
async function replayByHand(commands: ToolCommand[]): Promise<number> {
  for (const command of commands) {
    for (const arg of command.args) {
      if (arg.endsWith('.m3u8') || arg.includes('%05d') || arg.endsWith('.jpg')) {
        mkdirSync(path.dirname(arg.replace(/^file:/, '')), { recursive: true });
      }
    }
  }
  const started = performance.now();
  for (const command of commands) await runTool(command.file, command.args);
  return (performance.now() - started) / 1000;
}

async function ladderCpu(tools: MediaTools, input: string, strategy: LadderStrategy) {
  const source = await probeSource(tools, input, { log });
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'vlog-bench-ladder-'));
  const cpuBefore = childCpuSeconds();
  const started = performance.now();
  const outputs = await transcodeLadder({
    tools,
    input,
    source,
    renditions: planLadder(source.video!),
    outputDir,
    log,
    strategy,
  });
  const wall = (performance.now() - started) / 1000;
  const cpu = childCpuSeconds() - cpuBefore;
  rmSync(outputDir, { recursive: true, force: true });
  return { cpu, wall, renditions: outputs.map((o) => o.name) };
}

/** The everyday upload: flower.mp4 (5 s, 960x540) through the whole ladder, as a speed. */
async function flowerLadderSpeed(tools: MediaTools): Promise<void> {
  const flower = await ladderCpu(tools, fixturePath('flower.mp4'), 'single-process');
  const source = await probeSource(tools, fixturePath('flower.mp4'), { log });
  report({
    name: `flower.mp4 ladder (${flower.renditions.join(', ')})`,
    value:
      `${flower.wall.toFixed(2)} s wall, ${flower.cpu.toFixed(2)} CPU s, ` +
      `${(source.durationSeconds / flower.wall).toFixed(2)}x real time`,
  });
}

async function main(): Promise<void> {
  const tools = await locateMediaTools({
    ffmpegPath: process.env['VLOG_FFMPEG_PATH'],
    ffprobePath: process.env['VLOG_FFPROBE_PATH'],
  });
  console.log(`ffmpeg ${tools.ffmpegVersion} (${tools.origin}) at ${tools.ffmpegPath}`);
  await flowerLadderSpeed(tools);
  const { input, dir, durationSeconds } = await makeBenchInput(tools.ffmpegPath);
  console.log(`input: ${durationSeconds.toFixed(1)} s at 1920x1080, made from flower.mp4\n`);

  try {
    const job = await runStudioJob(input, tools);
    console.log(`studio job: ${job.wallSeconds.toFixed(2)} s, ${job.commands.length} tool runs`);
    const byHand = await replayByHand(job.commands);
    console.log(`same commands by hand: ${byHand.toFixed(2)} s`);
    rmSync(job.dataDir, { recursive: true, force: true });
    const overhead = job.wallSeconds / byHand;
    report({
      name: '(a) studio job / same ffmpeg work by hand (wall)',
      value: overhead.toFixed(3),
      target: '<= 1.05',
      met: overhead <= 1.05,
    });

    const single = await ladderCpu(tools, input, 'single-process');
    const perRendition = await ladderCpu(tools, input, 'per-rendition');
    console.log(
      `ladder ${single.renditions.join(',')}: one decode ${single.cpu.toFixed(1)} CPU s ` +
        `(${single.wall.toFixed(1)} s wall), one ffmpeg per rendition ` +
        `${perRendition.cpu.toFixed(1)} CPU s (${perRendition.wall.toFixed(1)} s wall)`,
    );
    const cpuRatio = single.cpu / perRendition.cpu;
    report({
      name: '(b) studio ladder / one ffmpeg per rendition (CPU seconds)',
      value: cpuRatio.toFixed(3),
      target: '<= 0.85',
      met: cpuRatio <= 0.85,
    });
    report({
      name: '(c) speed (source seconds per wall second of the whole job)',
      value: `${(durationSeconds / job.wallSeconds).toFixed(2)}x real time`,
    });
    report({
      name: '(d) studio process peak memory during the job (RSS)',
      value: `${job.peakRssMiB.toFixed(0)} MiB (process lifetime peak ${job.hwmMiB.toFixed(0)} MiB)`,
    });
    await runSpriteSection(tools);
    await runTranscriptionSection();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const missed = figures.filter((f) => f.met === false);
  console.log(`\n${figures.length} figures, ${missed.length} targets missed`);
}

/** Sprite sheets: keyframe-only pass against decoding every frame, on a 120 s 1080p source. */
async function runSpriteSection(tools: MediaTools): Promise<void> {
  console.log('\nsprite sheets (120 s 1080p source, a keyframe every second):');
  for (const figure of await benchSprites(tools)) report(figure);
}

/** Transcription: its own script prints the real-time factor (and WER with a real model). */
async function runTranscriptionSection(): Promise<void> {
  console.log('\ntranscription (friday.mp4):');
  await runTool(process.execPath, ['--import', 'tsx', 'scripts/bench-transcription.ts'], true);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

export type { Figure };
