import { MediaError } from './errors';
import type { Rendition } from './ladder';
import type { MediaTools } from './tools';

/** How segments are packaged: MPEG-TS, or fragmented MP4 (CMAF) with one init per rendition. */
export const STREAMING_FORMATS = ['hls_ts', 'cmaf'] as const;
export type StreamingFormat = (typeof STREAMING_FORMATS)[number];

/** The codec of a video's main ladder. */
export const VIDEO_CODECS = ['h264', 'hevc', 'av1'] as const;
export type VideoCodec = (typeof VIDEO_CODECS)[number];

/** Whether a value names a streaming format the studio makes. */
export function isStreamingFormat(value: unknown): value is StreamingFormat {
  return (STREAMING_FORMATS as readonly unknown[]).includes(value);
}

/** Whether a value names a codec the studio encodes. */
export function isVideoCodec(value: unknown): value is VideoCodec {
  return (VIDEO_CODECS as readonly unknown[]).includes(value);
}

/**
 * HEVC and AV1 only exist in HLS as fragmented MP4 (Apple's authoring spec 1.5 for HEVC;
 * AV1 has no MPEG-TS mapping browsers play), so they are always packaged as CMAF.
 */
export function codecNeedsCmaf(codec: VideoCodec): boolean {
  return codec !== 'h264';
}

/** The format actually made for this codec: CMAF whenever the codec needs it. */
export function resolveStreamingFormat(
  format: StreamingFormat,
  codec: VideoCodec,
): StreamingFormat {
  return codecNeedsCmaf(codec) ? 'cmaf' : format;
}

/** Encoders for each codec, preferred first. */
const ENCODER_CHOICES: Record<VideoCodec, readonly string[]> = {
  h264: ['libx264'],
  hevc: ['libx265'],
  // SVT-AV1 is many times faster than libaom at equal settings; libaom is the fallback.
  av1: ['libsvtav1', 'libaom-av1'],
};

/** The encoder this ffmpeg offers for the codec; a clear error when it offers none. */
export function videoEncoderFor(
  tools: Pick<MediaTools, 'encoders' | 'ffmpegPath'>,
  codec: VideoCodec,
): string {
  const found = ENCODER_CHOICES[codec].find((name) => tools.encoders.has(name));
  if (found !== undefined) return found;
  throw new MediaError(
    'TOOLS_MISSING',
    `The ffmpeg in use (${tools.ffmpegPath}) has no ${codec.toUpperCase()} encoder ` +
      `(${ENCODER_CHOICES[codec].join(' or ')}). Choose another codec, or set VLOG_FFMPEG_PATH ` +
      'to an ffmpeg built with it.',
    { retryable: false, detail: { codec, wanted: [...ENCODER_CHOICES[codec]] } },
  );
}

/** Suffix of the H.264 fallback renditions that accompany an HEVC or AV1 ladder. */
export const FALLBACK_SUFFIX = '-h264';
/** The highest fallback rung: enough for any screen that cannot decode the main codec. */
const FALLBACK_MAX_SHORT_SIDE = 720;

/**
 * The renditions to encode for a codec. An HEVC or AV1 ladder also gets H.264 copies of its
 * lowest rung and of its highest rung at or below 720p: every browser then plays something
 * (hls.js keeps only variants the browser decodes) at a fraction of a second full ladder's
 * encoding time on a small machine.
 */
export function planCodecLadder(ladder: readonly Rendition[], codec: VideoCodec): Rendition[] {
  const main = ladder.map((r) => ({ ...r, codec }));
  if (codec === 'h264' || ladder.length === 0) return main;
  const shortSide = (r: Rendition): number => Math.min(r.width, r.height);
  const lowest = ladder.at(-1) as Rendition;
  const middle = ladder.find((r) => shortSide(r) <= FALLBACK_MAX_SHORT_SIDE) ?? lowest;
  const picks = middle === lowest ? [lowest] : [middle, lowest];
  const fallbacks = picks.map((r) => ({
    ...r,
    name: `${r.name}${FALLBACK_SUFFIX}`,
    codec: 'h264' as const,
  }));
  return [...main, ...fallbacks];
}
