import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSource } from '../../src-main/media/probe';
import { generateSprites, type SpriteResult } from '../../src-main/media/sprites';
import type { MediaTools } from '../../src-main/media/tools';
import { casePath, fixturePath } from '../support/fixtures';
import { log, makeClip, mediaToolsForTests } from './media-support';

const execFileAsync = promisify(execFile);
let tools: MediaTools;
let dir: string;

beforeAll(async () => {
  tools = await mediaToolsForTests();
  dir = await mkdtemp(path.join(os.tmpdir(), 'vlog-sprites-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Cue {
  start: number;
  end: number;
  sheet: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

function seconds(stamp: string): number {
  const [h, m, s] = stamp.split(':').map(Number);
  return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
}

async function readCues(vttPath: string): Promise<Cue[]> {
  const text = await readFile(vttPath, 'utf8');
  expect(text.startsWith('WEBVTT\n')).toBe(true);
  const pattern = /(\S+) --> (\S+)\n(\S+)#xywh=(\d+),(\d+),(\d+),(\d+)/g;
  return [...text.matchAll(pattern)].map((m) => ({
    start: seconds(m[1] ?? ''),
    end: seconds(m[2] ?? ''),
    sheet: m[3] ?? '',
    x: Number(m[4]),
    y: Number(m[5]),
    w: Number(m[6]),
    h: Number(m[7]),
  }));
}

/** Decodes a sheet to grey pixels to check what a cue's rectangle holds. */
async function greySheet(file: string) {
  const { stdout: size } = await execFileAsync('/usr/bin/ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=width,height',
    '-of',
    'csv=p=0',
    `file:${file}`,
  ]);
  const [width, height] = size.trim().split(',').map(Number) as [number, number];
  const raw = path.join(dir, `${path.basename(path.dirname(path.dirname(file)))}-grey.raw`);
  await execFileAsync(tools.ffmpegPath, [
    '-v',
    'error',
    '-y',
    '-i',
    `file:${file}`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    raw,
  ]);
  return { width, height, pixels: new Uint8Array(await readFile(raw)) };
}

/** Every cue: times contiguous from 0 to the duration, rectangle inside its sheet, tile filled. */
async function expectTrackCovers(result: SpriteResult, duration: number) {
  const cues = await readCues(result.vttPath);
  expect(cues.length).toBe(result.plan.frameCount);
  expect(cues[0]?.start).toBe(0);
  expect(cues.at(-1)?.end).toBeCloseTo(duration, 2);
  for (const [i, cue] of cues.entries()) {
    if (i > 0) expect(cue.start).toBeCloseTo(cues[i - 1]?.end ?? -1, 3);
    expect(cue.end).toBeGreaterThan(cue.start);
    const sheetFile = path.join(path.dirname(result.vttPath), cue.sheet);
    expect(result.sheets).toContain(sheetFile);
    const sheet = await greySheet(sheetFile);
    expect(cue.x + cue.w).toBeLessThanOrEqual(sheet.width);
    expect(cue.y + cue.h).toBeLessThanOrEqual(sheet.height);
    let sum = 0;
    for (let y = cue.y; y < cue.y + cue.h; y++) {
      for (let x = cue.x; x < cue.x + cue.w; x++) sum += sheet.pixels[y * sheet.width + x] ?? 0;
    }
    // An unfilled tile is the tile filter's black padding.
    expect(sum / (cue.w * cue.h)).toBeGreaterThan(20);
  }
}

describe('sprite sheets', () => {
  it('flower.mp4: one sheet whose track covers the whole video', async () => {
    const input = fixturePath('flower.mp4');
    const source = await probeSource(tools, input, { log });
    const out = path.join(dir, 'flower');
    const result = await generateSprites({ tools, input, source, outputDir: out, log });
    expect(result.plan).toMatchObject({ frameWidth: 160, frameHeight: 90, intervalSeconds: 5 });
    await expectTrackCovers(result, source.durationSeconds);
  });

  it('case 10: a 2 s clip with a 10 s interval and a 5x5 grid still gets a sheet', async () => {
    const caseDir = path.join(dir, 'case10');
    await execFileAsync('mkdir', ['-p', caseDir]);
    await execFileAsync('bash', [casePath('10_sprite_short.sh')], {
      cwd: caseDir,
      env: { ...process.env, PATH: `${path.dirname(tools.ffmpegPath)}:${process.env['PATH']}` },
    });
    const input = path.join(caseDir, '10_short_2s.mp4');
    const source = await probeSource(tools, input, { log });
    const settings = { intervalSeconds: 10, tileSize: 5, frameWidth: 160, maxSheets: 100 };
    const out = path.join(caseDir, 'out');
    const result = await generateSprites({ tools, input, source, outputDir: out, log, settings });
    expect(result.plan.frameCount).toBe(1);
    expect(result.sheets).toHaveLength(1);
    await expectTrackCovers(result, source.durationSeconds);
  });

  it('decodes only keyframes of a dense-keyframe source and every frame of a sparse one', async () => {
    const pattern = ['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=22'];
    const encode = (gop: number) => [
      ...pattern,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      String(gop),
      '-keyint_min',
      String(gop),
      '-sc_threshold',
      '0',
      '-pix_fmt',
      'yuv420p',
    ];
    const dense = await makeClip(tools, path.join(dir, 'dense.mp4'), encode(25));
    const sparse = await makeClip(tools, path.join(dir, 'sparse.mp4'), encode(250));
    const results: Record<string, SpriteResult> = {};
    for (const [name, input] of Object.entries({ dense, sparse })) {
      const source = await probeSource(tools, input, { log });
      const outputDir = path.join(dir, `mode-${name}`);
      results[name] = await generateSprites({ tools, input, source, outputDir, log });
      await expectTrackCovers(results[name], source.durationSeconds);
    }
    expect(results['dense']?.plan.decode).toBe('keyframes');
    expect(results['sparse']?.plan.decode).toBe('all');
    // Both ways pick the frames at 0, 5, 10, 15 and 20 s: the sheets look alike.
    expect(results['dense']?.plan.frameCount).toBe(5);
    expect(results['sparse']?.plan.frameCount).toBe(5);
    const a = await greySheet(results['dense']?.sheets[0] ?? '');
    const b = await greySheet(results['sparse']?.sheets[0] ?? '');
    let diff = 0;
    for (let i = 0; i < a.pixels.length; i++)
      diff += Math.abs((a.pixels[i] ?? 0) - (b.pixels[i] ?? 0));
    expect(diff / a.pixels.length).toBeLessThan(6);
  });
});
