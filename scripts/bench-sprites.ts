// Sprite sheets: the studio's keyframe-only pass against a pass that decodes every frame, on a
// 120 s 1080p input with a keyframe every second made from flower.mp4 (so it runs anywhere).
// Usage: npx tsx scripts/bench-sprites.ts [ffmpeg path]. Target: ratio 0.2 or less.
// The machine is shared: compare the ratio within one run, not absolute times.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../src-main/log';
import { probeSource } from '../src-main/media/probe';
import { generateSprites, type SpriteDecodeMode } from '../src-main/media/sprites';
import { locateMediaTools, type MediaTools } from '../src-main/media/tools';
import { fixturePath } from '../tests/support/fixtures';
import { childCpuSeconds, runTool } from './bench/support';

const log = createLogger('bench.sprites');
log.level = 'warn';

/** One figure of the sprite benchmark, in the shape `npm run bench` prints. */
export interface SpriteBenchFigure {
  name: string;
  value: string;
  target?: string;
  met?: boolean;
}

/** 120 s of 1080p H.264 with a keyframe every second (flower.mp4 looped and scaled). */
async function makeInput(tools: MediaTools, dir: string): Promise<string> {
  const input = path.join(dir, 'flower-120s-1080p-gop1s.mp4');
  await runTool(tools.ffmpegPath, [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-stream_loop',
    '23',
    '-i',
    `file:${fixturePath('flower.mp4')}`,
    '-t',
    '120',
    '-an',
    '-vf',
    'scale=1920:1080,fps=30',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '26',
    '-g',
    '30',
    '-keyint_min',
    '30',
    '-sc_threshold',
    '0',
    '-pix_fmt',
    'yuv420p',
    `file:${input}`,
  ]);
  return input;
}

async function timeRun(tools: MediaTools, input: string, decode: SpriteDecodeMode, dir: string) {
  const source = await probeSource(tools, input, { log });
  const cpuBefore = childCpuSeconds();
  const started = performance.now();
  const result = await generateSprites({
    tools,
    input,
    source,
    outputDir: path.join(dir, decode),
    log,
    ...(decode === 'all' ? { decode } : {}),
  });
  return {
    wall: (performance.now() - started) / 1000,
    cpu: childCpuSeconds() - cpuBefore,
    plan: result.plan,
  };
}

/** Runs both passes and returns the figures: wall times, CPU times and their ratio. */
export async function benchSprites(tools: MediaTools): Promise<SpriteBenchFigure[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vlog-bench-sprites-'));
  try {
    const input = await makeInput(tools, dir);
    const fast = await timeRun(tools, input, 'keyframes', dir);
    const full = await timeRun(tools, input, 'all', dir);
    if (fast.plan.decode !== 'keyframes') {
      throw new Error(`the studio chose '${fast.plan.decode}' on a 1 s keyframe interval`);
    }
    const ratio = fast.wall / full.wall;
    return [
      {
        name: 'sprites: keyframe-only pass',
        value: `${fast.wall.toFixed(2)} s wall, ${fast.cpu.toFixed(2)} s CPU`,
      },
      {
        name: 'sprites: decode-all pass',
        value: `${full.wall.toFixed(2)} s wall, ${full.cpu.toFixed(2)} s CPU`,
      },
      {
        name: 'sprites: frames / sheets',
        value: `${fast.plan.frameCount} / ${fast.plan.sheetCount}`,
      },
      {
        name: 'sprites: time ratio (keyframe-only / decode-all)',
        value: ratio.toFixed(3),
        target: '≤ 0.2',
        met: ratio <= 0.2,
      },
      { name: 'sprites: CPU ratio', value: (fast.cpu / Math.max(full.cpu, 0.01)).toFixed(3) },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tools = await locateMediaTools({
    ffmpegPath: process.argv[2] || process.env['VLOG_FFMPEG_PATH'],
  });
  console.log(`ffmpeg ${tools.ffmpegVersion} (${tools.ffmpegPath})`);
  for (const figure of await benchSprites(tools)) {
    const target = figure.target
      ? `  (target ${figure.target}: ${figure.met ? 'met' : 'NOT met'})`
      : '';
    console.log(`${figure.name}: ${figure.value}${target}`);
  }
}
