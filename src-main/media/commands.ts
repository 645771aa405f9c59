import path from 'node:path';
import { alternateAudioOutputArgs, type AlternateAudioPlan } from './alternates';
import { BT709_TAGS, modernCodecArgs, type EncoderChoice } from './codec-args';
import { MediaError } from './errors';
import type { StreamingFormat } from './formats';
import type { Rendition } from './ladder';
import type { SourceInfo, SourceVideo } from './probe';
import { fileUrlArg } from './probe';

/** Seconds between forced keyframes; the same in every rendition so players can switch. */
export const KEYFRAME_INTERVAL_SECONDS = 2;
export const DEFAULT_SEGMENT_SECONDS = 6;
/** veryfast keeps a 2-core machine near real time at 1080p with quality fit for the LAN. */
export const DEFAULT_X264_PRESET = 'veryfast';

export const PLAYLIST_NAME = 'playlist.m3u8';
export const SEGMENT_PATTERN = 'segment-%05d.ts';
/** CMAF segments; each rendition folder also holds its init segment. */
export const FMP4_SEGMENT_PATTERN = 'segment-%05d.m4s';
export const INIT_SEGMENT_NAME = 'init.mp4';

export interface LadderCommandInput {
  /** Absolute path of the source. */
  input: string;
  source: SourceInfo;
  renditions: readonly Rendition[];
  outputDir: string;
  segmentSeconds?: number;
  /** Stream index of the audio to keep; undefined or null → no audio in the output. */
  audioIndex?: number | null | undefined;
  preset?: string;
  /** MPEG-TS segments (the default) or CMAF fMP4 segments with an init segment. */
  format?: StreamingFormat | undefined;
  /** Encoders for HEVC/AV1 renditions (see videoEncoderFor). */
  encoders?: EncoderChoice | undefined;
  /** Source audio tracks written as alternate audio renditions beside the variants. */
  alternateAudio?: readonly AlternateAudioPlan[] | undefined;
  /** Continue an interrupted ladder: see LadderResumePoint. */
  resume?: LadderResumePoint | undefined;
}

/**
 * Where an interrupted ladder continues: the source is read from startSeconds (a segment
 * boundary shared by every rendition), timestamps are offset so the new segments continue
 * the old timeline, and numbering starts at the first segment not kept.
 */
export interface LadderResumePoint {
  startSeconds: number;
  startNumber: number;
}

/** Input seek to the resume point; empty for a fresh run. */
function resumeInputArgs(resume: LadderResumePoint | undefined): string[] {
  return resume ? ['-ss', resume.startSeconds.toFixed(6)] : [];
}

/** Output timestamp offset and first segment number of a resumed rendition. */
function resumeOutputArgs(resume: LadderResumePoint | undefined): string[] {
  if (!resume) return [];
  return [
    '-output_ts_offset',
    resume.startSeconds.toFixed(6),
    '-start_number',
    String(resume.startNumber),
  ];
}

/** One ffmpeg process that decodes once and writes every rendition as its own HLS output. */
export function buildLadderArgs(options: LadderCommandInput): string[] {
  const video = requireVideo(options.source);
  const labels = options.renditions.map((_, i) => `v${i}`);
  const graph = ladderFilterGraph(video, options.renditions, labels);
  const outputs = options.renditions.flatMap((rendition, i) =>
    renditionOutputArgs(options, video, rendition, `[${labels[i]}]`),
  );
  const input = [...resumeInputArgs(options.resume), '-i', fileUrlArg(options.input)];
  return [...input, '-filter_complex', graph, ...outputs, ...alternateOutputs(options)];
}

/** The alternate audio renditions, written by the same ffmpeg as the video ladder. */
export function alternateOutputs(options: LadderCommandInput): string[] {
  return (options.alternateAudio ?? []).flatMap((plan) =>
    alternateAudioOutputArgs(plan, {
      outputDir: options.outputDir,
      format: options.format ?? 'hls_ts',
      segmentSeconds: options.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS,
    }),
  );
}

/** One ffmpeg process for one rendition: the alternative strategy, kept for comparison. */
export function buildRenditionArgs(options: LadderCommandInput, rendition: Rendition): string[] {
  const video = requireVideo(options.source);
  const head = [...sourceToSdr(video), ...holdLastPicture(video)];
  const filter = [...head, renditionScale(rendition)].join(',');
  const graph = `[0:${video.index}]${filter}[v0]`;
  return [
    '-i',
    fileUrlArg(options.input),
    '-filter_complex',
    graph,
    ...renditionOutputArgs(options, video, rendition, '[v0]'),
  ];
}

/**
 * Decode → (tone-map if HDR) → split → scale per rendition. Rotation needs no filter here:
 * ffmpeg's autorotate turns the decoded frames upright before this graph runs.
 */
export function ladderFilterGraph(
  video: SourceVideo,
  renditions: readonly Rendition[],
  labels: readonly string[],
): string {
  const head = [...sourceToSdr(video), ...holdLastPicture(video)];
  const splitLabels = labels.map((label) => `[s${label}]`).join('');
  const split = `split=${renditions.length}${splitLabels}`;
  const first = `[0:${video.index}]${[...head, split].join(',')}`;
  const branches = renditions.map((r, i) => `[s${labels[i]}]${renditionScale(r)}[${labels[i]}]`);
  return [first, ...branches].join(';');
}

/**
 * What every picture taken from the source goes through first, at the source size:
 * interlaced fields are woven into whole frames (bwdif, one frame per frame), and HDR
 * (PQ/HLG) is tone-mapped to SDR BT.709.
 */
export function sourceToSdr(video: SourceVideo): string[] {
  const deinterlace = video.interlaced === true ? ['bwdif=mode=send_frame:deint=all'] : [];
  if (!video.isHdr) return deinterlace;
  return [
    ...deinterlace,
    'zscale=t=linear:npl=100',
    'format=gbrpf32le',
    'zscale=p=bt709',
    'tonemap=tonemap=hable:desat=0',
    'zscale=t=bt709:m=bt709:r=tv',
  ];
}

/** When audio runs on past the last picture, that picture is held so nothing is cut off. */
function holdLastPicture(video: SourceVideo): string[] {
  const gap = video.endGapSeconds ?? 0;
  return gap > 0 ? [`tpad=stop_mode=clone:stop_duration=${gap.toFixed(3)}`] : [];
}

/** Scale to the rendition, convert to 8-bit 4:2:0 limited-range BT.709 whatever came in. */
function renditionScale(rendition: Rendition): string {
  return [
    `scale=w=${rendition.width}:h=${rendition.height}:flags=bicubic` +
      ':out_color_matrix=bt709:out_range=tv',
    'format=yuv420p',
    'setsar=1',
  ].join(',');
}

function renditionOutputArgs(
  options: LadderCommandInput,
  video: SourceVideo,
  rendition: Rendition,
  videoLabel: string,
): string[] {
  const dir = path.join(options.outputDir, rendition.name);
  const segmentSeconds = options.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  return [
    '-map',
    videoLabel,
    ...audioArgs(options.audioIndex, rendition),
    ...encoderArgs(options, video, rendition),
    ...resumeOutputArgs(options.resume),
    '-f',
    'hls',
    '-hls_time',
    String(segmentSeconds),
    '-hls_playlist_type',
    'vod',
    ...segmentTypeArgs(options.format),
    '-hls_flags',
    'independent_segments',
    '-hls_segment_filename',
    path.join(dir, options.format === 'cmaf' ? FMP4_SEGMENT_PATTERN : SEGMENT_PATTERN),
    path.join(dir, PLAYLIST_NAME),
  ];
}

const DEFAULT_ENCODERS = { hevc: 'libx265', av1: 'libsvtav1' } as const;

function segmentTypeArgs(format: StreamingFormat | undefined): string[] {
  if (format !== 'cmaf') return ['-hls_segment_type', 'mpegts'];
  return ['-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', INIT_SEGMENT_NAME];
}

/** libx264 for H.264 renditions; the chosen HEVC/AV1 encoder for the others. */
function encoderArgs(
  options: LadderCommandInput,
  video: SourceVideo,
  rendition: Rendition,
): string[] {
  const codec = rendition.codec ?? 'h264';
  if (codec === 'h264')
    return videoCodecArgs(video, rendition, options.preset ?? DEFAULT_X264_PRESET);
  // Commands are also built only to fingerprint a run; the real run passes the encoders
  // chosen from the ffmpeg in use (chooseEncoders), which also fails when one is missing.
  const encoder = options.encoders?.[codec] ?? DEFAULT_ENCODERS[codec];
  return modernCodecArgs({
    codec,
    encoder,
    rendition,
    frameRate: video.frameRate,
    keyframeSeconds: KEYFRAME_INTERVAL_SECONDS,
    aomRealtime: options.encoders?.aomRealtime ?? false,
  });
}

function audioArgs(audioIndex: number | null | undefined, rendition: Rendition): string[] {
  if (audioIndex === undefined || audioIndex === null) return [];
  return [
    '-map',
    `0:${audioIndex}`,
    '-c:a',
    'aac',
    '-b:a',
    `${rendition.audioBitrateKbps}k`,
    '-ac',
    '2',
    '-ar',
    '48000',
    // Stretch or fill audio to its timestamps (drift, gaps), and pad silence in front when it
    // starts after the picture, so both begin together.
    '-af',
    'aresample=async=1:first_pts=0',
  ];
}

function videoCodecArgs(video: SourceVideo, rendition: Rendition, preset: string): string[] {
  const level = h264Level(
    rendition.width,
    rendition.height,
    video.frameRate,
    rendition.maxrateKbps,
  );
  return [
    '-c:v',
    'libx264',
    '-preset',
    preset,
    '-profile:v',
    'high',
    '-level:v',
    level,
    '-pix_fmt',
    'yuv420p',
    '-b:v',
    `${rendition.videoBitrateKbps}k`,
    '-maxrate',
    `${rendition.maxrateKbps}k`,
    '-bufsize',
    `${rendition.bufsizeKbps}k`,
    '-force_key_frames',
    `expr:gte(t,n_forced*${KEYFRAME_INTERVAL_SECONDS})`,
    '-sc_threshold',
    '0',
    ...BT709_TAGS,
  ];
}

interface H264Level {
  name: string;
  maxFrameMacroblocks: number;
  maxMacroblocksPerSecond: number;
  maxHighBitrateKbps: number;
}

/** H.264 Annex A limits (High profile bitrates are 1.25× the Main limits). */
const H264_LEVELS: readonly H264Level[] = [
  {
    name: '3.0',
    maxFrameMacroblocks: 1620,
    maxMacroblocksPerSecond: 40500,
    maxHighBitrateKbps: 12500,
  },
  {
    name: '3.1',
    maxFrameMacroblocks: 3600,
    maxMacroblocksPerSecond: 108000,
    maxHighBitrateKbps: 17500,
  },
  {
    name: '3.2',
    maxFrameMacroblocks: 5120,
    maxMacroblocksPerSecond: 216000,
    maxHighBitrateKbps: 25000,
  },
  {
    name: '4.0',
    maxFrameMacroblocks: 8192,
    maxMacroblocksPerSecond: 245760,
    maxHighBitrateKbps: 25000,
  },
  {
    name: '4.1',
    maxFrameMacroblocks: 8192,
    maxMacroblocksPerSecond: 245760,
    maxHighBitrateKbps: 62500,
  },
  {
    name: '4.2',
    maxFrameMacroblocks: 8704,
    maxMacroblocksPerSecond: 522240,
    maxHighBitrateKbps: 62500,
  },
  {
    name: '5.0',
    maxFrameMacroblocks: 22080,
    maxMacroblocksPerSecond: 589824,
    maxHighBitrateKbps: 168750,
  },
  {
    name: '5.1',
    maxFrameMacroblocks: 36864,
    maxMacroblocksPerSecond: 983040,
    maxHighBitrateKbps: 300000,
  },
  {
    name: '5.2',
    maxFrameMacroblocks: 36864,
    maxMacroblocksPerSecond: 2073600,
    maxHighBitrateKbps: 300000,
  },
];

/** The lowest H.264 level (3.0 at least, which every browser decodes) that fits the output. */
export function h264Level(
  width: number,
  height: number,
  frameRate: number,
  maxrateKbps: number,
): string {
  const frameMacroblocks = Math.ceil(width / 16) * Math.ceil(height / 16);
  const perSecond = frameMacroblocks * frameRate;
  const longSideMacroblocks = Math.ceil(Math.max(width, height) / 16);
  const fits = H264_LEVELS.find(
    (level) =>
      frameMacroblocks <= level.maxFrameMacroblocks &&
      perSecond <= level.maxMacroblocksPerSecond &&
      maxrateKbps <= level.maxHighBitrateKbps &&
      longSideMacroblocks ** 2 <= level.maxFrameMacroblocks * 8,
  );
  return fits?.name ?? '5.2';
}

export interface ThumbnailCommandInput {
  input: string;
  source: SourceInfo;
  outputPath: string;
  width?: number;
}

export const THUMBNAIL_WIDTH = 640;
/** How much footage the `thumbnail` filter compares to pick a representative frame. */
const THUMBNAIL_WINDOW_SECONDS = 3;

/**
 * Where the poster frame search starts: 10% in, but never past half of a very short clip
 * (and frame 0 when the clip is too short to seek at all).
 */
export function thumbnailSeekSeconds(durationSeconds: number): number {
  if (!(durationSeconds > 0.2)) return 0;
  const seek = Math.min(durationSeconds * 0.1, durationSeconds / 2);
  return Math.round(seek * 1000) / 1000;
}

/** A JPEG poster THUMBNAIL_WIDTH px wide, upright, from a representative frame. */
export function buildThumbnailArgs(options: ThumbnailCommandInput): string[] {
  const video = requireVideo(options.source);
  const seek = thumbnailSeekSeconds(options.source.durationSeconds);
  const remaining = Math.max(0, options.source.durationSeconds - seek);
  const windowSeconds = Math.min(THUMBNAIL_WINDOW_SECONDS, remaining);
  const frames = Math.max(1, Math.min(90, Math.round(windowSeconds * video.frameRate)));
  const filter = [
    ...sourceToSdr(video),
    `scale=w=${options.width ?? THUMBNAIL_WIDTH}:h=-2:out_color_matrix=bt709:out_range=pc`,
    'setsar=1',
    `thumbnail=n=${frames}`,
    'format=yuvj420p',
  ].join(',');
  return [
    ...(seek > 0 ? ['-ss', String(seek)] : []),
    '-i',
    fileUrlArg(options.input),
    '-map',
    `0:${video.index}`,
    '-vf',
    filter,
    '-an',
    '-sn',
    ...jpegFrameOutput(options.outputPath),
  ];
}

/** Output arguments that write one frame as a single JPEG file (not an image sequence). */
export function jpegFrameOutput(outputPath: string): string[] {
  return ['-frames:v', '1', '-q:v', '3', '-f', 'image2', '-update', '1', outputPath];
}

function requireVideo(source: SourceInfo): SourceVideo {
  if (source.video === null) {
    throw new MediaError('NO_VIDEO_STREAM', 'This file has no video stream to encode.', {
      retryable: false,
    });
  }
  return source.video;
}
