import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log';
import { sourceToSdr } from './commands';
import { MediaError } from './errors';
import { fileUrlArg, type SourceInfo, type SourceVideo } from './probe';
import { runFfmpeg, runFfprobeJson } from './runner';
import type { MediaTools } from './tools';

/** What a sprite sheet run is asked for; every field has the product's default. */
export interface SpriteSettings {
  /** Seconds between preview frames (whole seconds: the schema stores an integer). */
  intervalSeconds: number;
  /** Frames per row and per column of a sheet (a square grid). */
  tileSize: number;
  frameWidth: number;
  maxSheets: number;
}

export const DEFAULT_SPRITE_SETTINGS: SpriteSettings = {
  intervalSeconds: 5,
  tileSize: 10,
  frameWidth: 160,
  maxSheets: 100,
};

/** 'keyframes' decodes only keyframes (-skip_frame nokey); 'all' decodes every frame. */
export type SpriteDecodeMode = 'keyframes' | 'all';

/** The layout of one video's sheets, decided before ffmpeg runs. */
export interface SpritePlan {
  intervalSeconds: number;
  tileSize: number;
  frameWidth: number;
  frameHeight: number;
  /** Preview frames in total: one per interval. */
  frameCount: number;
  sheetCount: number;
  decode: SpriteDecodeMode;
  durationSeconds: number;
}

/** Keyframe times of the video stream, relative to its first keyframe, ascending. */
export interface KeyframeSurvey {
  times: number[];
  /** Longest stretch without a keyframe, the tail up to the end included. */
  maxGapSeconds: number;
}

export const SPRITE_DIR = 'sprites';
export const SPRITE_VTT_NAME = 'thumbnails.vtt';
/** How far into a long source the keyframe survey reads (demuxing only, no decoding). */
const SURVEY_SECONDS = 600;

/** The file name of sheet `n` (1-based): sprite-001.jpg. */
export function spriteSheetName(n: number): string {
  return `sprite-${String(n).padStart(3, '0')}.jpg`;
}

/**
 * Lists the video's keyframes from packet flags: ffprobe only demuxes, so this costs a
 * fraction of a decode even on long sources.
 */
export async function surveyKeyframes(
  tools: MediaTools,
  input: string,
  source: SourceInfo,
  options: { log: Logger; signal?: AbortSignal | undefined },
): Promise<KeyframeSurvey> {
  const video = requireVideo(source);
  const doc = (await runFfprobeJson(
    tools,
    [
      '-select_streams',
      String(video.index),
      '-read_intervals',
      `%+${SURVEY_SECONDS}`,
      '-show_entries',
      'packet=pts_time,flags',
      fileUrlArg(input),
    ],
    options,
  )) as { packets?: Array<{ pts_time?: string; flags?: string }> };
  return summarizeKeyframes(doc.packets ?? [], source.durationSeconds);
}

/** Turns ffprobe's packet list into keyframe times and the longest gap between them. */
export function summarizeKeyframes(
  packets: ReadonlyArray<{ pts_time?: string; flags?: string }>,
  durationSeconds: number,
): KeyframeSurvey {
  const all = packets.map((p) => Number(p.pts_time)).filter((t) => Number.isFinite(t));
  const keys = packets
    .filter((p) => p.flags?.startsWith('K'))
    .map((p) => Number(p.pts_time))
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b);
  if (keys.length === 0) return { times: [], maxGapSeconds: Infinity };
  const start = Math.min(keys[0] ?? 0, ...all.slice(0, 16));
  const times = keys.map((t) => t - start);
  let maxGap = 0;
  for (let i = 1; i < times.length; i++) {
    maxGap = Math.max(maxGap, (times[i] ?? 0) - (times[i - 1] ?? 0));
  }
  const surveyed = Math.min(durationSeconds, SURVEY_SECONDS);
  maxGap = Math.max(maxGap, surveyed - (times[times.length - 1] ?? 0), times[0] ?? 0);
  return { times, maxGapSeconds: maxGap };
}

/** Frame height for a frame `frameWidth` wide with the video's display aspect, even. */
export function spriteFrameHeight(video: Pick<SourceVideo, 'width' | 'height'>, width: number) {
  if (video.width <= 0 || video.height <= 0) return Math.round((width * 9) / 16 / 2) * 2;
  return Math.max(2, Math.round((width * video.height) / video.width / 2) * 2);
}

/**
 * Decides interval, grid, frame size and decode mode. Keyframes alone are enough when no
 * stretch between them is longer than the interval: every interval then has one.
 */
export function planSprites(
  source: SourceInfo,
  survey: KeyframeSurvey | null,
  settings: SpriteSettings = DEFAULT_SPRITE_SETTINGS,
): SpritePlan {
  const video = requireVideo(source);
  const duration = Math.max(0, source.durationSeconds);
  const maxFrames = settings.maxSheets * settings.tileSize ** 2;
  // Past the cap the interval grows instead of the number of sheets.
  const interval = Math.max(settings.intervalSeconds, Math.ceil(duration / maxFrames), 1);
  const keyframes = survey !== null && survey.maxGapSeconds <= interval;
  const frameCount = keyframes
    ? countKeyframeSelections(survey.times, interval, maxFrames)
    : countDecodedSelections(duration, video.frameRate, interval, maxFrames);
  const tileSize = Math.min(settings.tileSize, Math.max(1, Math.ceil(Math.sqrt(frameCount))));
  return {
    intervalSeconds: interval,
    tileSize,
    frameWidth: settings.frameWidth,
    frameHeight: spriteFrameHeight(video, settings.frameWidth),
    frameCount,
    sheetCount: Math.ceil(frameCount / tileSize ** 2),
    decode: keyframes ? 'keyframes' : 'all',
    durationSeconds: duration,
  };
}

/** What `select=gte(t-start_t, selected_n*interval)` picks from these keyframes. */
function countKeyframeSelections(times: number[], interval: number, maxFrames: number): number {
  let selected = 0;
  for (const t of times) {
    if (selected >= maxFrames) break;
    if (t >= selected * interval - 1e-6) selected++;
  }
  return Math.max(1, selected);
}

/**
 * Interval starts that a decoded frame surely reaches. The last frame starts about one frame
 * before the end; two frames of margin keep a start that no frame reaches out of the count.
 */
function countDecodedSelections(
  duration: number,
  frameRate: number,
  interval: number,
  maxFrames: number,
): number {
  const frame = frameRate > 0 ? 1 / frameRate : 0.1;
  const lastFrame = duration - 2 * frame;
  const count = lastFrame > 0 ? Math.floor(lastFrame / interval) + 1 : 1;
  return Math.min(maxFrames, Math.max(1, count));
}

/** The ffmpeg arguments of the one pass that writes every sheet of a plan. */
export function buildSpriteArgs(
  input: string,
  source: SourceInfo,
  plan: SpritePlan,
  outputDir: string,
): string[] {
  const video = requireVideo(source);
  const select = `select='gte(t-start_t\\,selected_n*${plan.intervalSeconds})*lt(selected_n\\,${plan.frameCount})'`;
  const chain = [
    select,
    ...sourceToSdr(video),
    `scale=w=${plan.frameWidth}:h=${plan.frameHeight}:out_color_matrix=bt709:out_range=pc`,
    'setsar=1',
    `tile=${plan.tileSize}x${plan.tileSize}`,
    'format=yuvj420p',
  ];
  return [
    ...(plan.decode === 'keyframes' ? ['-skip_frame', 'nokey'] : []),
    '-i',
    fileUrlArg(input),
    '-filter_complex',
    `[0:${video.index}]${chain.join(',')}[sheets]`,
    '-map',
    '[sheets]',
    '-an',
    '-sn',
    '-dn',
    '-vsync',
    '0',
    '-q:v',
    '4',
    '-start_number',
    '1',
    '-f',
    'image2',
    path.join(outputDir, 'sprite-%03d.jpg'),
  ];
}

/** Formats seconds as a WebVTT timestamp, hh:mm:ss.mmm. */
export function vttTimestamp(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/**
 * The WebVTT thumbnails track: one cue per preview frame, from 0 to the duration, each
 * pointing at its tile with a media fragment (`sprites/sprite-001.jpg#xywh=x,y,w,h`).
 */
export function buildThumbnailsVtt(plan: SpritePlan): string {
  const lines = ['WEBVTT', ''];
  const perSheet = plan.tileSize ** 2;
  const end =
    plan.durationSeconds > 0 ? plan.durationSeconds : plan.frameCount * plan.intervalSeconds;
  for (let i = 0; i < plan.frameCount; i++) {
    const start = i * plan.intervalSeconds;
    const last = i === plan.frameCount - 1;
    const cueEnd = last ? end : Math.min(end, (i + 1) * plan.intervalSeconds);
    if (cueEnd <= start) break;
    const sheet = Math.floor(i / perSheet) + 1;
    const slot = i % perSheet;
    const x = (slot % plan.tileSize) * plan.frameWidth;
    const y = Math.floor(slot / plan.tileSize) * plan.frameHeight;
    const xywh = `${x},${y},${plan.frameWidth},${plan.frameHeight}`;
    lines.push(`${vttTimestamp(start)} --> ${vttTimestamp(cueEnd)}`);
    lines.push(`${SPRITE_DIR}/${spriteSheetName(sheet)}#xywh=${xywh}`, '');
  }
  return lines.join('\n');
}

/** What a finished run made, for the videos.sprite_sheet_* columns. */
export interface SpriteResult {
  plan: SpritePlan;
  sheets: string[];
  vttPath: string;
  elapsedMs: number;
}

export interface GenerateSpritesOptions {
  tools: MediaTools;
  input: string;
  source: SourceInfo;
  /** The video's folder: sheets go to `sprites/`, the track to `thumbnails.vtt`. */
  outputDir: string;
  log: Logger;
  signal?: AbortSignal | undefined;
  pidDir?: string | undefined;
  settings?: SpriteSettings;
  /** Forces a decode mode (the benchmark compares both); otherwise the survey decides. */
  decode?: SpriteDecodeMode;
}

/** Surveys keyframes, writes every sheet in one ffmpeg pass, checks them, writes the VTT. */
export async function generateSprites(options: GenerateSpritesOptions): Promise<SpriteResult> {
  const started = Date.now();
  const survey =
    options.decode === 'all'
      ? null
      : await surveyKeyframes(options.tools, options.input, options.source, options);
  const planned = planSprites(options.source, survey, options.settings);
  const plan = options.decode === 'keyframes' ? { ...planned, decode: options.decode } : planned;
  const sheetDir = path.join(options.outputDir, SPRITE_DIR);
  await rm(sheetDir, { recursive: true, force: true });
  await mkdir(sheetDir, { recursive: true });
  options.log.info(
    { decode: plan.decode, frames: plan.frameCount, sheets: plan.sheetCount },
    'sprite sheets planned',
  );
  await runFfmpeg(options.tools, buildSpriteArgs(options.input, options.source, plan, sheetDir), {
    log: options.log,
    signal: options.signal,
    pidDir: options.pidDir,
    durationSeconds: options.source.durationSeconds,
  });
  const sheets = await checkSheets(sheetDir, plan);
  const vttPath = path.join(options.outputDir, SPRITE_VTT_NAME);
  await writeFile(vttPath, buildThumbnailsVtt(plan));
  return { plan, sheets, vttPath, elapsedMs: Date.now() - started };
}

/** Every planned sheet must exist and hold bytes; a missing one fails the run. */
async function checkSheets(sheetDir: string, plan: SpritePlan): Promise<string[]> {
  const names = (await readdir(sheetDir)).filter((n) => /^sprite-\d{3,}\.jpg$/.test(n)).sort();
  const expected = Array.from({ length: plan.sheetCount }, (_, i) => spriteSheetName(i + 1));
  for (const name of expected) {
    const info = await stat(path.join(sheetDir, name)).catch(() => null);
    if (!info || info.size === 0) {
      throw new MediaError('OUTPUT_INVALID', `Sprite sheet ${name} was not written.`, {
        detail: { sheetDir, found: names },
      });
    }
  }
  // A sheet beyond the plan would hold frames no cue points at.
  for (const extra of names.filter((n) => !expected.includes(n))) {
    await rm(path.join(sheetDir, extra), { force: true });
  }
  return expected.map((name) => path.join(sheetDir, name));
}

function requireVideo(source: SourceInfo): SourceVideo {
  if (source.video === null) {
    throw new MediaError('NO_VIDEO_STREAM', 'This file has no video stream for sprite sheets.', {
      retryable: false,
    });
  }
  return source.video;
}
