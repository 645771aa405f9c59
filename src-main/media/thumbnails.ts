import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log';
import { jpegFrameOutput, sourceToSdr, THUMBNAIL_WIDTH } from './commands';
import { MediaError } from './errors';
import { fileUrlArg, type SourceInfo, type SourceVideo } from './probe';
import { runFfmpeg } from './runner';
import type { MediaTools } from './tools';

/** Where the studio offers candidate frames, as fractions of the duration. */
export const CANDIDATE_PERCENTS = [10, 25, 50, 75, 90] as const;
/** Footage the `thumbnail` filter compares around each poster candidate. */
const WINDOW_SECONDS = 1;
/** Width of the grey copy each poster candidate is scored on. */
const SCORE_WIDTH = 160;

interface FrameJob {
  tools: MediaTools;
  input: string;
  source: SourceInfo;
  log: Logger;
  signal?: AbortSignal | undefined;
}

/** The image kinds a custom thumbnail may be, decided from the first bytes. */
export type UploadedImageKind = 'jpeg' | 'png' | 'webp';

/** Reads the file signature: JPEG (FF D8 FF), PNG (89 'PNG' …), WebP ('RIFF' … 'WEBP'). */
export function sniffImageKind(head: Uint8Array): UploadedImageKind | null {
  const b = (i: number) => head[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.every((v, i) => b(i) === v)) return 'png';
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (head.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return null;
}

/**
 * Moments for candidate frames: 10, 25, 50, 75 and 90 % in, kept inside the video (a seek
 * to the very end finds no frame).
 */
export function candidateTimestamps(durationSeconds: number, frameRate = 30): number[] {
  const duration = Number.isFinite(durationSeconds) ? Math.max(0, durationSeconds) : 0;
  const lastFrame = Math.max(0, duration - 1 / (frameRate > 0 ? frameRate : 30));
  return CANDIDATE_PERCENTS.map((p) => {
    const t = Math.min((duration * p) / 100, lastFrame);
    return Math.round(t * 1000) / 1000;
  });
}

function posterChain(video: SourceVideo, width: number): string[] {
  return [
    ...sourceToSdr(video),
    `scale=w=${width}:h=-2:out_color_matrix=bt709:out_range=pc`,
    'setsar=1',
  ];
}

/** Arguments that write the frame at `timestamp` (accurate seek) as a JPEG. */
export function buildFrameArgs(
  input: string,
  source: SourceInfo,
  timestamp: number,
  outputPath: string,
  width = THUMBNAIL_WIDTH,
): string[] {
  const video = requireVideo(source);
  return [
    ...(timestamp > 0 ? ['-ss', timestamp.toFixed(3)] : []),
    '-i',
    fileUrlArg(input),
    '-map',
    `0:${video.index}`,
    '-vf',
    [...posterChain(video, width), 'format=yuvj420p'].join(','),
    '-an',
    '-sn',
    ...jpegFrameOutput(outputPath),
  ];
}

/**
 * Writes the frame at `timestamp` as a THUMBNAIL_WIDTH px JPEG. A moment past the last
 * decodable frame falls back to earlier ones, then to the first frame.
 */
export async function extractFrame(
  job: FrameJob & { timestamp: number; outputPath: string; width?: number },
): Promise<number> {
  await mkdir(path.dirname(job.outputPath), { recursive: true });
  const tries = [job.timestamp, job.timestamp - 0.5, job.timestamp / 2, 0].filter(
    (t, i, all) => t >= 0 && all.indexOf(t) === i,
  );
  for (const t of tries) {
    await rm(job.outputPath, { force: true });
    const args = buildFrameArgs(job.input, job.source, t, job.outputPath, job.width);
    await runFfmpeg(job.tools, args, { log: job.log, signal: job.signal });
    if (await isNonEmpty(job.outputPath)) return t;
  }
  throw new MediaError('OUTPUT_INVALID', `No frame could be read near ${job.timestamp} s.`, {
    detail: { input: job.input, timestamp: job.timestamp },
  });
}

/** Luma statistics of a small grey copy of a frame. */
export interface FrameScore {
  mean: number;
  contrast: number;
  /** Variance of the Laplacian: low for blurred or flat frames. */
  sharpness: number;
}

/** Scores a grey frame (one byte per pixel, `width` wide). */
export function scoreGreyFrame(pixels: Uint8Array, width: number): FrameScore {
  const height = Math.floor(pixels.length / width);
  const count = width * height;
  if (count === 0) return { mean: 0, contrast: 0, sharpness: 0 };
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < count; i++) {
    const v = pixels[i] ?? 0;
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / count;
  const contrast = Math.sqrt(Math.max(0, sumSq / count - mean * mean));
  let lapSum = 0;
  let lapSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const at = (dx: number, dy: number) => pixels[(y + dy) * width + x + dx] ?? 0;
      const lap = at(-1, 0) + at(1, 0) + at(0, -1) + at(0, 1) - 4 * at(0, 0);
      lapSum += lap;
      lapSq += lap * lap;
      n++;
    }
  }
  const sharpness = n > 0 ? lapSq / n - (lapSum / n) ** 2 : 0;
  return { mean, contrast, sharpness };
}

/** Black, white or featureless frames make poor posters whatever their sharpness. */
export function isFlatFrame(score: FrameScore): boolean {
  return score.mean < 18 || score.mean > 240 || score.contrast < 10;
}

/** The best of several scored candidates: sharpest non-flat, else the most contrasted. */
export function pickPosterCandidate<T extends { score: FrameScore }>(candidates: T[]): T | null {
  const usable = candidates.filter((c) => !isFlatFrame(c.score));
  const pool = usable.length > 0 ? usable : candidates;
  const key = (c: T) => (usable.length > 0 ? c.score.sharpness : c.score.contrast);
  let best: T | null = null;
  for (const candidate of pool) if (!best || key(candidate) > key(best)) best = candidate;
  return best;
}

/**
 * One ffmpeg run per candidate: ffmpeg's `thumbnail` filter picks the most typical frame of
 * a one-second window, written as the poster JPEG and as a small grey copy to score.
 */
export function buildPosterCandidateArgs(
  input: string,
  source: SourceInfo,
  start: number,
  outputs: { jpeg: string; grey: string },
): string[] {
  const video = requireVideo(source);
  const frames = Math.max(1, Math.min(60, Math.round(WINDOW_SECONDS * video.frameRate)));
  const graph =
    `[0:${video.index}]${posterChain(video, THUMBNAIL_WIDTH).join(',')},` +
    `thumbnail=n=${frames},split=2[p][s];` +
    `[p]format=yuvj420p[poster];[s]scale=w=${SCORE_WIDTH}:h=-2,format=gray[grey]`;
  return [
    ...(start > 0 ? ['-ss', start.toFixed(3)] : []),
    '-i',
    fileUrlArg(input),
    '-filter_complex',
    graph,
    '-map',
    '[poster]',
    ...jpegFrameOutput(outputs.jpeg),
    '-map',
    '[grey]',
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    outputs.grey,
  ];
}

/**
 * Poster search starts: spread over the video, but for clips under two seconds only up to
 * half of it, so a seek always lands on a frame.
 */
export function posterSearchStarts(durationSeconds: number): number[] {
  if (!(durationSeconds > 0.2)) return [0];
  const percents = durationSeconds < 2 ? [0, 25, 50] : [10, 25, 50, 75];
  return percents.map((p) => Math.round(((durationSeconds * p) / 100) * 1000) / 1000);
}

/** What the automatic poster was made from, for the log and the tests. */
export interface PosterChoice {
  outputPath: string;
  start: number;
  score: FrameScore;
  candidates: Array<{ start: number; score: FrameScore }>;
}

/**
 * The automatic poster: a representative frame from each of several moments, scored,
 * and the sharpest one that is not black, white or flat kept.
 */
export async function makeRepresentativePoster(
  job: FrameJob & { outputPath: string },
): Promise<PosterChoice> {
  const dir = path.dirname(job.outputPath);
  await mkdir(dir, { recursive: true });
  const scored: Array<{ start: number; jpeg: string; score: FrameScore }> = [];
  const starts = posterSearchStarts(job.source.durationSeconds);
  for (const [i, start] of starts.entries()) {
    const jpeg = path.join(dir, `.poster-candidate-${i}.jpg`);
    const grey = path.join(dir, `.poster-candidate-${i}.grey`);
    const score = await scoreCandidate(job, start, { jpeg, grey });
    if (score) scored.push({ start, jpeg, score });
  }
  const best = pickPosterCandidate(scored);
  try {
    if (!best) {
      await extractFrame({ ...job, timestamp: 0 });
      const fallback = { mean: 0, contrast: 0, sharpness: 0 };
      return { outputPath: job.outputPath, start: 0, score: fallback, candidates: [] };
    }
    await copyFile(best.jpeg, job.outputPath);
  } finally {
    await Promise.all(scored.map((c) => rm(c.jpeg, { force: true })));
  }
  const candidates = scored.map((c) => ({ start: c.start, score: c.score }));
  job.log.info({ start: best.start, ...best.score }, 'poster frame chosen');
  return { outputPath: job.outputPath, start: best.start, score: best.score, candidates };
}

async function scoreCandidate(
  job: FrameJob,
  start: number,
  outputs: { jpeg: string; grey: string },
): Promise<FrameScore | null> {
  await rm(outputs.jpeg, { force: true });
  try {
    const args = buildPosterCandidateArgs(job.input, job.source, start, outputs);
    await runFfmpeg(job.tools, args, { log: job.log, signal: job.signal });
    if (!(await isNonEmpty(outputs.jpeg))) return null;
    const pixels = new Uint8Array(await readFile(outputs.grey));
    return scoreGreyFrame(pixels, SCORE_WIDTH);
  } catch (error) {
    if (job.signal?.aborted) throw error;
    // A candidate that cannot be read (a seek into a damaged part) is simply not offered.
    job.log.warn({ err: error, start }, 'poster candidate skipped');
    return null;
  } finally {
    await rm(outputs.grey, { force: true });
  }
}

/** Turns an uploaded JPEG, PNG or WebP into a THUMBNAIL_WIDTH px wide JPEG poster. */
export async function convertUploadedImage(options: {
  tools: MediaTools;
  input: string;
  outputPath: string;
  log: Logger;
}): Promise<void> {
  await rm(options.outputPath, { force: true });
  const filter = `scale=w=${THUMBNAIL_WIDTH}:h=-2:out_color_matrix=bt709:out_range=pc,format=yuvj420p`;
  await runFfmpeg(
    options.tools,
    ['-i', fileUrlArg(options.input), '-vf', filter, ...jpegFrameOutput(options.outputPath)],
    { log: options.log },
  );
  if (!(await isNonEmpty(options.outputPath))) {
    throw new MediaError('OUTPUT_INVALID', 'The image could not be turned into a thumbnail.', {
      detail: { input: options.input },
    });
  }
}

async function isNonEmpty(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => null);
  return info !== null && info.size > 0;
}

function requireVideo(source: SourceInfo): SourceVideo {
  if (source.video === null) {
    throw new MediaError('NO_VIDEO_STREAM', 'This file has no video stream to take frames from.', {
      retryable: false,
    });
  }
  return source.video;
}
