import type { VideoCodec } from './formats';
import type { Rendition } from './ladder';
import type { MediaTools } from './tools';

/** Which encoder makes each non-H.264 codec, decided once per job from the ffmpeg in use. */
export interface EncoderChoice {
  hevc?: string;
  av1?: string;
  /** libaom's realtime usage (ffmpeg ≥ 4.3): dozens of times faster than its default. */
  aomRealtime?: boolean;
}

/** Output tags every rendition carries: SDR BT.709, limited range. */
export const BT709_TAGS = [
  '-color_range',
  'tv',
  '-colorspace',
  'bt709',
  '-color_primaries',
  'bt709',
  '-color_trc',
  'bt709',
];

/** Whether this ffmpeg's libaom wrapper knows `-usage realtime` (added after ffmpeg 4.2). */
export function supportsAomRealtime(tools: Pick<MediaTools, 'ffmpegVersion'>): boolean {
  const match = /^n?(\d+)\.(\d+)/.exec(tools.ffmpegVersion);
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major > 4 || (major === 4 && minor >= 3);
}

interface CodecArgsInput {
  codec: Exclude<VideoCodec, 'h264'>;
  encoder: string;
  rendition: Rendition;
  frameRate: number;
  keyframeSeconds: number;
  aomRealtime: boolean;
}

/**
 * HEVC or AV1 encoder arguments: bitrate capped like the H.264 ladder, a closed GOP of
 * exactly `keyframeSeconds` with no scene-cut keyframes, so every rendition (H.264
 * fallbacks included) has keyframes at the same times and segments line up.
 */
export function modernCodecArgs(input: CodecArgsInput): string[] {
  const gop = Math.max(1, Math.round(input.keyframeSeconds * input.frameRate));
  const rate = [
    '-b:v',
    `${input.rendition.videoBitrateKbps}k`,
    '-maxrate',
    `${input.rendition.maxrateKbps}k`,
    '-bufsize',
    `${input.rendition.bufsizeKbps}k`,
  ];
  const keyframes = [
    '-force_key_frames',
    `expr:gte(t,n_forced*${input.keyframeSeconds})`,
    '-g',
    String(gop),
  ];
  const common = ['-pix_fmt', 'yuv420p', ...BT709_TAGS];
  if (input.codec === 'hevc') {
    return [...hevcArgs(input.encoder, gop), ...rate, ...keyframes, ...common];
  }
  return [...av1Args(input, gop), ...keyframes, ...common];
}

function hevcArgs(encoder: string, gop: number): string[] {
  return [
    '-c:v',
    encoder,
    '-preset',
    'veryfast',
    '-profile:v',
    'main',
    // Apple plays HEVC only from an hvc1 sample entry (parameter sets in the init segment).
    '-tag:v',
    'hvc1',
    '-forced-idr',
    '1',
    '-x265-params',
    `log-level=error:keyint=${gop}:min-keyint=${gop}:scenecut=0:open-gop=0`,
  ];
}

function av1Args(input: CodecArgsInput, gop: number): string[] {
  const bitrate = ['-b:v', `${input.rendition.videoBitrateKbps}k`];
  if (input.encoder === 'libsvtav1') {
    // SVT-AV1 1.x takes no -maxrate in VBR mode; its fastest presets stay near real time.
    return [
      '-c:v',
      'libsvtav1',
      '-preset',
      '10',
      ...bitrate,
      '-svtav1-params',
      `keyint=${gop}:scd=0:lookahead=0`,
    ];
  }
  return [
    '-c:v',
    input.encoder,
    // ffmpeg 4.1 still marks libaom as experimental.
    '-strict',
    'experimental',
    ...(input.aomRealtime ? ['-usage', 'realtime'] : []),
    '-cpu-used',
    '8',
    '-row-mt',
    '1',
    '-tiles',
    '2x2',
    '-lag-in-frames',
    '0',
    ...bitrate,
    '-maxrate',
    `${input.rendition.maxrateKbps}k`,
    '-bufsize',
    `${input.rendition.bufsizeKbps}k`,
    '-keyint_min',
    String(gop),
  ];
}
