import type { Logger } from '../log';
import { runFfmpeg } from './runner';
import type { MediaTools } from './tools';

/** The codecs the studio encodes, each with a CPU encoder that always works. */
export type HardwareCodec = 'h264' | 'hevc' | 'av1';

/** A family of GPU encoders ffmpeg can drive. */
export type HardwareFamily = 'nvenc' | 'vaapi' | 'qsv' | 'videotoolbox';

/** The encoder chosen for one codec, and why. */
export interface EncoderSelection {
  codec: HardwareCodec;
  /** The ffmpeg encoder name, e.g. "h264_nvenc" or "libx264". */
  encoder: string;
  family: HardwareFamily | 'cpu';
  /** Why a hardware encoder was not used (absent from ffmpeg, or its probe failed). */
  reason: string | null;
}

/** The CPU encoder for each codec: what every job falls back to. */
export const CPU_ENCODERS: Record<HardwareCodec, string> = {
  h264: 'libx264',
  hevc: 'libx265',
  av1: 'libaom-av1',
};

/** Tried in this order: the one most likely to be fast and correct first. */
export const HARDWARE_FAMILIES: readonly HardwareFamily[] = [
  'nvenc',
  'videotoolbox',
  'qsv',
  'vaapi',
];

const VAAPI_DEVICE = '/dev/dri/renderD128';

/** The ffmpeg encoder name of a family for a codec. */
export function hardwareEncoderName(family: HardwareFamily, codec: HardwareCodec): string {
  return `${codec}_${family}`;
}

/** Arguments a family needs before the input (device setup). */
function deviceArgs(family: HardwareFamily): string[] {
  if (family === 'vaapi') return ['-vaapi_device', VAAPI_DEVICE];
  return [];
}

/** Filters a family needs to take ordinary frames (VAAPI encodes from GPU surfaces). */
function uploadFilter(family: HardwareFamily): string[] {
  if (family === 'vaapi') return ['-vf', 'format=nv12,hwupload'];
  return ['-vf', 'format=yuv420p'];
}

/**
 * The arguments of the probe encode: 0.1 s of a colour through the encoder to nothing.
 * Listing an encoder says only that ffmpeg was built with it; the probe asks the device.
 */
export function probeEncodeArgs(family: HardwareFamily, codec: HardwareCodec): string[] {
  return [
    ...deviceArgs(family),
    '-f',
    'lavfi',
    '-i',
    'color=c=black:s=256x144:r=10:d=0.1',
    ...uploadFilter(family),
    '-c:v',
    hardwareEncoderName(family, codec),
    '-frames:v',
    '2',
    '-an',
    '-f',
    'null',
    '-',
  ];
}

/**
 * Picks the encoder for a codec: the first hardware family whose encoder the ffmpeg in use
 * lists and whose probe encode succeeds; else the CPU encoder, with the reason.
 */
export async function selectEncoder(
  tools: MediaTools,
  codec: HardwareCodec,
  options: { log: Logger; families?: readonly HardwareFamily[]; disabled?: boolean },
): Promise<EncoderSelection> {
  const cpu = (reason: string): EncoderSelection => ({
    codec,
    encoder: CPU_ENCODERS[codec],
    family: 'cpu',
    reason,
  });
  if (options.disabled) return cpu('hardware encoding is turned off');
  const listed = (options.families ?? HARDWARE_FAMILIES).filter((family) =>
    tools.encoders.has(hardwareEncoderName(family, codec)),
  );
  if (listed.length === 0) return cpu('this ffmpeg offers no hardware encoder for ' + codec);
  const failures: string[] = [];
  for (const family of listed) {
    const encoder = hardwareEncoderName(family, codec);
    try {
      await runFfmpeg(tools, probeEncodeArgs(family, codec), { log: options.log });
      options.log.info({ encoder }, 'hardware encoder answered its probe encode');
      return { codec, encoder, family, reason: null };
    } catch (error) {
      failures.push(`${encoder}: ${error instanceof Error ? error.message : String(error)}`);
      options.log.warn({ encoder, err: error }, 'hardware encoder listed but its probe failed');
    }
  }
  return cpu(`no hardware encoder answered (${failures.join('; ')})`);
}

/**
 * Runs an encode with the selected encoder and, when a hardware encoder fails part way,
 * runs it again on the CPU encoder, saying so in the log and through onFallback (the job
 * records it). A CPU failure is passed on as it is.
 */
export async function withCpuFallback<T>(
  selection: EncoderSelection,
  encode: (encoder: string) => Promise<T>,
  options: {
    log: Logger;
    signal?: AbortSignal | undefined;
    onFallback?: (message: string) => void | Promise<void>;
  },
): Promise<{ result: T; encoder: string; fellBack: boolean }> {
  if (selection.family === 'cpu') {
    return { result: await encode(selection.encoder), encoder: selection.encoder, fellBack: false };
  }
  try {
    return { result: await encode(selection.encoder), encoder: selection.encoder, fellBack: false };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const cpu = CPU_ENCODERS[selection.codec];
    const message =
      `The hardware encoder ${selection.encoder} failed, so this video was encoded on the ` +
      `CPU with ${cpu} instead.`;
    options.log.warn({ encoder: selection.encoder, fallback: cpu, err: error }, message);
    await options.onFallback?.(message);
    return { result: await encode(cpu), encoder: cpu, fellBack: true };
  }
}
