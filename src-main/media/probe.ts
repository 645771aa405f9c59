import { z } from 'zod';
import type { Logger } from '../log';
import { MediaError, isMediaError } from './errors';
import { runFfprobeJson } from './runner';
import type { MediaTools } from './tools';

/** The source's picture, as a viewer sees it (display size, upright). */
export interface SourceVideo {
  index: number;
  codec: string;
  profile: string | null;
  pixFmt: string | null;
  /** Display width: rotation and sample aspect ratio applied, rounded. */
  width: number;
  /** Display height: rotation applied. */
  height: number;
  /** Stored frame size before rotation and aspect correction. */
  codedWidth: number;
  codedHeight: number;
  /** Clockwise degrees a player turns the stored frame to show it upright. */
  rotation: 0 | 90 | 180 | 270;
  frameRate: number;
  colorTransfer: string | null;
  colorPrimaries: string | null;
  colorSpace: string | null;
  bitDepth: number;
  isHdr: boolean;
  /** Stored as interlaced fields (field_order tt/bb/tb/bt): deinterlaced before scaling. */
  interlaced?: boolean;
  /**
   * Seconds the container runs on after the last picture (audio longer than video, or
   * starting later): the last picture is held so the output covers the whole source.
   */
  endGapSeconds?: number;
}

export interface SourceAudio {
  index: number;
  codec: string;
  channels: number;
  sampleRate: number;
  language: string | null;
  title: string | null;
  isDefault: boolean;
}

export interface SourceSubtitle {
  index: number;
  codec: string;
  language: string | null;
  title: string | null;
  isDefault: boolean;
}

/** What the studio knows of an uploaded file, decided from its probed streams only. */
export interface SourceInfo {
  durationSeconds: number;
  formatName: string;
  sizeBytes: number;
  bitRate: number | null;
  video: SourceVideo | null;
  audio: SourceAudio[];
  subtitles: SourceSubtitle[];
}

const numeric = z.union([z.string(), z.number()]).optional();

const streamSchema = z.object({
  index: z.number(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  profile: z.string().optional(),
  pix_fmt: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  sample_aspect_ratio: z.string().optional(),
  r_frame_rate: z.string().optional(),
  field_order: z.string().optional(),
  start_time: numeric,
  avg_frame_rate: z.string().optional(),
  color_transfer: z.string().optional(),
  color_primaries: z.string().optional(),
  color_space: z.string().optional(),
  bits_per_raw_sample: numeric,
  channels: z.number().optional(),
  sample_rate: numeric,
  duration: numeric,
  disposition: z.record(z.string(), z.number()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(z.record(z.string(), z.unknown())).optional(),
});

const probeSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z
    .object({
      format_name: z.string().optional(),
      start_time: numeric,
      duration: numeric,
      size: numeric,
      bit_rate: numeric,
    })
    .optional(),
});

type ProbedStream = z.infer<typeof streamSchema>;

/** Reads a source's container and streams with ffprobe. `absPath` must be absolute. */
export async function probeSource(
  tools: MediaTools,
  absPath: string,
  options: { log: Logger; signal?: AbortSignal | undefined },
): Promise<SourceInfo> {
  const input = fileUrlArg(absPath);
  const raw = await probeOrExplain(tools, ['-show_format', '-show_streams', input], options);
  const parsed = probeSchema.parse(raw);
  const streams = parsed.streams;
  const videoStream = streams.find(isPictureStream);
  if (videoStream === undefined) {
    throw new MediaError(
      'NO_VIDEO_STREAM',
      'This file has no video stream (it may be audio only). Upload a video file.',
      { detail: { path: absPath }, retryable: false },
    );
  }
  if (!videoStream.pix_fmt || !videoStream.width || !videoStream.height) {
    // ffprobe still lists a stream from a partial index, but cannot find its pictures.
    throw corruptSource(absPath);
  }
  const info: SourceInfo = {
    durationSeconds: durationFrom(parsed.format?.duration),
    formatName: parsed.format?.format_name ?? 'unknown',
    sizeBytes: toNumber(parsed.format?.size) ?? 0,
    bitRate: toNumber(parsed.format?.bit_rate),
    video: describeVideo(videoStream),
    audio: streams.filter((s) => s.codec_type === 'audio').map(describeAudio),
    subtitles: streams.filter((s) => s.codec_type === 'subtitle').map(describeSubtitle),
  };
  if (info.durationSeconds <= 0) {
    info.durationSeconds = await decodeDuration(tools, input, videoStream.index, options);
  }
  const endGap = videoEndGap(parsed.format, videoStream, info.durationSeconds);
  if (endGap > 0 && info.video !== null) info.video.endGapSeconds = endGap;
  options.log.debug({ path: absPath, durationSeconds: info.durationSeconds }, 'source probed');
  return info;
}

/** ffmpeg reads `file:` inputs literally, so a name starting with '-' is never an option. */
export function fileUrlArg(absPath: string): string {
  if (!absPath.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(absPath)) {
    throw new MediaError('FFMPEG_FAILED', `Media paths must be absolute, got "${absPath}".`, {
      retryable: false,
    });
  }
  return `file:${absPath}`;
}

async function probeOrExplain(
  tools: MediaTools,
  args: string[],
  options: { log: Logger; signal?: AbortSignal | undefined },
): Promise<unknown> {
  try {
    return await runFfprobeJson(tools, args, options);
  } catch (error) {
    if (!isMediaError(error, 'FFMPEG_FAILED')) throw error;
    const tail = error.detail?.stderrTail ?? '';
    if (/moov atom not found|Invalid data found|could not find codec parameters/i.test(tail)) {
      throw corruptSource(error.detail?.command ?? '', error);
    }
    if (error.detail?.signal === 'SIGSEGV') {
      throw new MediaError(
        'FFMPEG_FAILED',
        `ffprobe crashed reading this file. Set VLOG_FFPROBE_PATH to a newer ffprobe.`,
        { detail: error.detail, retryable: false, cause: error },
      );
    }
    throw error;
  }
}

function corruptSource(where: string, cause?: MediaError): MediaError {
  return new MediaError(
    'CORRUPT_SOURCE',
    'The file is corrupt or incomplete (it may have been cut off while copying). ' +
      'Upload the complete file again.',
    { detail: { ...cause?.detail, source: where }, retryable: false, cause },
  );
}

/** Cover art in audio files shows up as a one-picture "video" stream; it is not a video. */
function isPictureStream(stream: ProbedStream): boolean {
  return stream.codec_type === 'video' && stream.disposition?.['attached_pic'] !== 1;
}

function describeVideo(stream: ProbedStream): SourceVideo {
  const codedWidth = stream.width ?? 0;
  const codedHeight = stream.height ?? 0;
  const rotation = rotationOf(stream);
  const sar = parseRatio(stream.sample_aspect_ratio);
  const sarWidth = sar !== null && sar > 0 ? Math.round(codedWidth * sar) : codedWidth;
  const sideways = rotation === 90 || rotation === 270;
  const transfer = stream.color_transfer ?? null;
  const primaries = stream.color_primaries ?? null;
  return {
    index: stream.index,
    codec: stream.codec_name ?? 'unknown',
    profile: stream.profile ?? null,
    pixFmt: stream.pix_fmt ?? null,
    width: sideways ? codedHeight : sarWidth,
    height: sideways ? sarWidth : codedHeight,
    codedWidth,
    codedHeight,
    rotation,
    frameRate: frameRateOf(stream),
    colorTransfer: transfer,
    colorPrimaries: primaries,
    colorSpace: stream.color_space ?? null,
    bitDepth: bitDepthOf(stream),
    isHdr: isHdrTransfer(transfer) || primaries === 'bt2020',
    interlaced: isInterlaced(stream.field_order),
  };
}

/** ffprobe's field orders for interlaced pictures ('progressive' and 'unknown' are not). */
export function isInterlaced(fieldOrder: string | undefined): boolean {
  return fieldOrder === 'tt' || fieldOrder === 'bb' || fieldOrder === 'tb' || fieldOrder === 'bt';
}

/**
 * How long the container runs past the video stream's end, in seconds; 0 when the video
 * reaches the end or the streams do not say where they end.
 */
export function videoEndGap(
  format: { start_time?: unknown } | undefined,
  video: Pick<ProbedStream, 'start_time' | 'duration'>,
  durationSeconds: number,
): number {
  const videoStart = toNumber(video.start_time);
  const videoDuration = toNumber(video.duration);
  if (videoStart === null || videoDuration === null || videoDuration <= 0) return 0;
  const formatStart = toNumber(format?.start_time) ?? videoStart;
  const gap = formatStart + durationSeconds - (videoStart + videoDuration);
  return gap > 0.05 ? Math.round(gap * 1000) / 1000 : 0;
}

/** HDR transfer functions: PQ (HDR10) and HLG. */
export function isHdrTransfer(transfer: string | null): boolean {
  return transfer === 'smpte2084' || transfer === 'arib-std-b67';
}

/**
 * The display matrix gives a counter-clockwise angle (-90 for a phone held upright);
 * the legacy `rotate` tag gives the clockwise one. Both become clockwise 0/90/180/270.
 */
export function rotationOf(
  stream: Pick<ProbedStream, 'side_data_list' | 'tags'>,
): 0 | 90 | 180 | 270 {
  const matrix = stream.side_data_list?.find((side) => typeof side['rotation'] === 'number');
  if (matrix !== undefined) return normaliseRotation(-(matrix['rotation'] as number));
  const tag = Number(stream.tags?.['rotate']);
  return Number.isFinite(tag) ? normaliseRotation(tag) : 0;
}

function normaliseRotation(degrees: number): 0 | 90 | 180 | 270 {
  const quarter = ((Math.round(degrees / 90) % 4) + 4) % 4;
  return ([0, 90, 180, 270] as const)[quarter] ?? 0;
}

function frameRateOf(stream: ProbedStream): number {
  const rate = parseRatio(stream.avg_frame_rate) || parseRatio(stream.r_frame_rate);
  return rate !== null && rate > 0 && rate < 1000 ? Math.round(rate * 1000) / 1000 : 30;
}

function bitDepthOf(stream: ProbedStream): number {
  const raw = toNumber(stream.bits_per_raw_sample);
  if (raw !== null && raw > 0) return raw;
  const match = /(?:p|le|be)?(9|10|12|14|16)(?:le|be)?$/.exec(stream.pix_fmt ?? '');
  return match?.[1] !== undefined ? Number(match[1]) : 8;
}

function describeAudio(stream: ProbedStream): SourceAudio {
  return {
    index: stream.index,
    codec: stream.codec_name ?? 'unknown',
    channels: stream.channels ?? 0,
    sampleRate: toNumber(stream.sample_rate) ?? 0,
    language: languageOf(stream),
    title: stream.tags?.['title'] ?? null,
    isDefault: stream.disposition?.['default'] === 1,
  };
}

function describeSubtitle(stream: ProbedStream): SourceSubtitle {
  return {
    index: stream.index,
    codec: stream.codec_name ?? 'unknown',
    language: languageOf(stream),
    title: stream.tags?.['title'] ?? null,
    isDefault: stream.disposition?.['default'] === 1,
  };
}

function languageOf(stream: ProbedStream): string | null {
  const language = stream.tags?.['language'];
  return language === undefined || language === 'und' ? null : language;
}

/**
 * The container's duration; 0 when it stores none. Stream durations are not trusted then:
 * a raw H.264 stream reports one frame's.
 */
function durationFrom(formatDuration: unknown): number {
  const fromFormat = toNumber(formatDuration);
  return fromFormat !== null && fromFormat > 0 ? fromFormat : 0;
}

/** Last resort for containers that store no duration: read every packet's timestamp. */
async function decodeDuration(
  tools: MediaTools,
  input: string,
  streamIndex: number,
  options: { log: Logger; signal?: AbortSignal | undefined },
): Promise<number> {
  const raw = await runFfprobeJson(
    tools,
    [
      '-select_streams',
      String(streamIndex),
      '-show_entries',
      'packet=pts_time,duration_time',
      input,
    ],
    options,
  );
  const packets = z
    .object({ packets: z.array(z.object({ pts_time: numeric, duration_time: numeric })) })
    .parse(raw).packets;
  return spanOfPackets(packets);
}

/**
 * From the first packet's time to the last one's end. Raw streams carry no timestamps:
 * their packets are laid end to end.
 */
export function spanOfPackets(
  packets: ReadonlyArray<{ pts_time?: unknown; duration_time?: unknown }>,
): number {
  let start = Infinity;
  let end = 0;
  let laidEnd = 0;
  for (const packet of packets) {
    const length = toNumber(packet.duration_time) ?? 0;
    const pts = toNumber(packet.pts_time);
    if (pts !== null) {
      start = Math.min(start, pts);
      end = Math.max(end, pts + length);
    }
    laidEnd += length;
  }
  const span = Number.isFinite(start) ? end - start : 0;
  return Math.round(Math.max(span, Number.isFinite(start) ? 0 : laidEnd) * 1e6) / 1e6;
}

/** Parses "30000/1001" or "16:9" or "1.5"; null when absent or undefined (0/0). */
export function parseRatio(value: string | undefined): number | null {
  if (value === undefined) return null;
  const [num, den] = value.split(/[/:]/).map(Number);
  if (num === undefined || !Number.isFinite(num)) return null;
  if (den === undefined) return num;
  return Number.isFinite(den) && den !== 0 ? num / den : null;
}

function toNumber(value: unknown): number | null {
  if (value === undefined || value === null || value === '' || value === 'N/A') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
