import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log';
import {
  buildLadderArgs,
  buildRenditionArgs,
  buildThumbnailArgs,
  PLAYLIST_NAME,
  type LadderCommandInput,
} from './commands';
import { MediaError } from './errors';
import {
  codecsAttribute,
  measureBandwidth,
  readPlaylist,
  validateRenditionOutput,
  type RenditionOutput,
} from './hls';
import type { StreamingFormat } from './formats';
import type { Rendition } from './ladder';
import {
  encodeAlternateAudioAlone,
  finishExtras,
  formatCommandFields,
  inspectRenditionCodecs,
  prepareExtras,
} from './ladder-formats';
import type { SourceInfo } from './probe';
import { stitchResumedPlaylist, trimToKeptSegments, type LadderResume } from './resume';
import { runFfmpeg } from './runner';
import { makeRepresentativePoster } from './thumbnails';
import type { MediaTools } from './tools';

/** Progress of one rendition, 0..100. */
export interface RenditionProgress {
  quality: string;
  percent: number;
}

/**
 * 'single-process' decodes the source once and encodes every rendition from it;
 * 'per-rendition' runs one ffmpeg per rendition (decoding the source each time).
 */
export type LadderStrategy = 'single-process' | 'per-rendition';

/** Measured on both ffmpeg builds here: one decode feeding every encoder is the faster. */
export const DEFAULT_LADDER_STRATEGY: LadderStrategy = 'single-process';

export interface TranscodeLadderOptions {
  tools: MediaTools;
  /** Absolute path of the source. */
  input: string;
  source: SourceInfo;
  renditions: readonly Rendition[];
  outputDir: string;
  segmentSeconds?: number;
  log: Logger;
  signal?: AbortSignal | undefined;
  pidDir?: string | undefined;
  onProgress?: ((progress: RenditionProgress[]) => void) | undefined;
  strategy?: LadderStrategy;
  preset?: string;
  /** MPEG-TS or CMAF; HEVC and AV1 renditions always make it CMAF. */
  format?: StreamingFormat | undefined;
  /** Continue an interrupted single-process run whose kept segments are in outputDir. */
  resume?: LadderResume | undefined;
}

/** Encodes the renditions into `<outputDir>/<name>/` as HLS, then verifies each one. */
export async function transcodeLadder(options: TranscodeLadderOptions): Promise<RenditionOutput[]> {
  if (options.renditions.length === 0) return [];
  const command: LadderCommandInput = {
    input: options.input,
    source: options.source,
    renditions: options.renditions,
    outputDir: options.outputDir,
    ...formatCommandFields({ ...options, chooseAudio: chooseAudioStream }),
    ...(options.segmentSeconds === undefined ? {} : { segmentSeconds: options.segmentSeconds }),
    ...(options.preset === undefined ? {} : { preset: options.preset }),
  };
  if (options.resume && canResume(command)) {
    await resumeLadder(options, { ...command, resume: options.resume }, options.resume);
  } else {
    await prepareRenditionFolders(options.outputDir, options.renditions);
    await prepareExtras(command);
    const strategy = options.strategy ?? DEFAULT_LADDER_STRATEGY;
    if (strategy === 'single-process') await runSingleProcess(options, command);
    else await runPerRendition(options, command);
  }

  const outputs: RenditionOutput[] = [];
  for (const rendition of options.renditions) {
    outputs.push(await describeRenditionOutput({ ...options, rendition }));
    options.log.info({ quality: rendition.name }, 'rendition verified');
  }
  await finishExtras({ tools: options.tools, command, log: options.log, signal: options.signal });
  return outputs;
}

/** The audio stream to publish: the one flagged default, else the first; null when none. */
export function chooseAudioStream(source: SourceInfo): number | null {
  const chosen = source.audio.find((track) => track.isDefault) ?? source.audio[0];
  return chosen?.index ?? null;
}

async function prepareRenditionFolders(
  outputDir: string,
  renditions: readonly Rendition[],
): Promise<void> {
  for (const rendition of renditions) {
    const dir = path.join(outputDir, rendition.name);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  }
}

async function runSingleProcess(
  options: TranscodeLadderOptions,
  command: LadderCommandInput,
): Promise<void> {
  const report = (percent: number): void =>
    options.onProgress?.(options.renditions.map((r) => ({ quality: r.name, percent })));
  await runFfmpeg(options.tools, buildLadderArgs(command), {
    log: options.log,
    signal: options.signal,
    pidDir: options.pidDir,
    durationSeconds: options.source.durationSeconds,
    onProgress: report,
  });
}

/** Resume knows MPEG-TS video renditions only: CMAF and alternate audio start over. */
function canResume(command: LadderCommandInput): boolean {
  return (command.format ?? 'hls_ts') !== 'cmaf' && (command.alternateAudio ?? []).length === 0;
}

/**
 * Runs the one-decode ladder from the resume point over folders that hold the kept
 * segments, then joins each rendition's kept and new segments into one playlist.
 */
async function resumeLadder(
  options: TranscodeLadderOptions,
  command: LadderCommandInput,
  resume: LadderResume,
): Promise<void> {
  for (const rendition of options.renditions) {
    await trimToKeptSegments(path.join(options.outputDir, rendition.name), resume.startNumber);
  }
  const total = options.source.durationSeconds;
  const remaining = Math.max(0.1, total - resume.startSeconds);
  const donePart = total > 0 ? resume.startSeconds / total : 0;
  const report = (percent: number): void => {
    const overall = (donePart + (1 - donePart) * (percent / 100)) * 100;
    options.onProgress?.(options.renditions.map((r) => ({ quality: r.name, percent: overall })));
  };
  report(0);
  await runFfmpeg(options.tools, buildLadderArgs(command), {
    log: options.log,
    signal: options.signal,
    pidDir: options.pidDir,
    durationSeconds: remaining,
    onProgress: report,
  });
  for (const rendition of options.renditions) {
    await stitchResumedPlaylist(path.join(options.outputDir, rendition.name), resume);
  }
}

async function runPerRendition(
  options: TranscodeLadderOptions,
  command: LadderCommandInput,
): Promise<void> {
  const percents = options.renditions.map(() => 0);
  const report = (): void =>
    options.onProgress?.(
      options.renditions.map((r, i) => ({ quality: r.name, percent: percents[i] ?? 0 })),
    );
  for (const [i, rendition] of options.renditions.entries()) {
    await runFfmpeg(options.tools, buildRenditionArgs(command, rendition), {
      log: options.log,
      signal: options.signal,
      pidDir: options.pidDir,
      durationSeconds: options.source.durationSeconds,
      onProgress: (percent) => {
        percents[i] = percent;
        report();
      },
    });
  }
  await encodeAlternateAudioAlone(options.tools, command, options);
}

/**
 * Verifies one rendition folder and describes it for the master playlist: also used to
 * keep renditions a previous attempt already finished.
 */
export async function describeRenditionOutput(options: {
  tools: MediaTools;
  outputDir: string;
  rendition: Rendition;
  source: SourceInfo;
  log: Logger;
  signal?: AbortSignal | undefined;
  toleranceSeconds?: number;
}): Promise<RenditionOutput> {
  const dir = path.join(options.outputDir, options.rendition.name);
  const checked = await validateRenditionOutput(dir, {
    expectedDurationSeconds: options.source.durationSeconds,
    ...(options.toleranceSeconds === undefined
      ? {}
      : { toleranceSeconds: options.toleranceSeconds }),
  });
  const playlist = await readPlaylist(path.join(dir, PLAYLIST_NAME));
  const { videoCodec, hasAudio, segmentFormat } = await inspectRenditionCodecs(dir, playlist);
  const bandwidth = await measureBandwidth(dir, playlist);
  return {
    name: options.rendition.name,
    width: options.rendition.width,
    height: options.rendition.height,
    videoBitrateKbps: options.rendition.videoBitrateKbps,
    audioBitrateKbps: hasAudio ? options.rendition.audioBitrateKbps : 0,
    ...bandwidth,
    codecs: codecsAttribute(videoCodec, hasAudio),
    segmentFormat,
    // The ladder keeps the source's frame rate, so the source's probe is the output's too.
    frameRate: options.source.video?.frameRate ?? 30,
    playlist: `${options.rendition.name}/${PLAYLIST_NAME}`,
    segmentCount: checked.segmentCount,
    durationSeconds: checked.durationSeconds,
  };
}

/** Writes a JPEG poster (640 px wide, upright) from a representative frame of the source. */
export async function makeThumbnail(options: {
  tools: MediaTools;
  input: string;
  source: SourceInfo;
  outputPath: string;
  log: Logger;
  signal?: AbortSignal | undefined;
}): Promise<string> {
  await mkdir(path.dirname(options.outputPath), { recursive: true });
  await rm(options.outputPath, { force: true });
  const run = (source: SourceInfo): Promise<{ stderrTail: string }> =>
    runFfmpeg(options.tools, buildThumbnailArgs({ ...options, source }), {
      log: options.log,
      signal: options.signal,
    });

  // Several moments are scored, so a black fade or a blurred pan does not become the poster.
  await makeRepresentativePoster(options).catch((error: unknown) => {
    if (options.signal?.aborted) throw error;
    options.log.warn({ err: error }, 'poster search failed; taking one window');
  });
  if (!(await isNonEmpty(options.outputPath))) await run(options.source);
  if (!(await isNonEmpty(options.outputPath))) {
    // A seek past the last decodable frame yields nothing: fall back to the first frame.
    await run({ ...options.source, durationSeconds: 0 });
  }
  if (!(await isNonEmpty(options.outputPath))) {
    throw new MediaError('OUTPUT_INVALID', `No poster could be made for ${options.input}.`, {
      detail: { outputPath: options.outputPath },
    });
  }
  return options.outputPath;
}

async function isNonEmpty(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => null);
  return info !== null && info.size > 0;
}
