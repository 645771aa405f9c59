import { z } from 'zod';
import type { Logger } from '../log';
import { fileUrlArg } from './probe';
import { runFfmpeg, runFfprobeJson } from './runner';
import type { MediaTools } from './tools';

/** Whisper models take 16 kHz mono audio. */
export const SPEECH_SAMPLE_RATE = 16_000;

/** At or below this peak level a track holds no audible sound (digital silence is -91 dB). */
export const SILENCE_PEAK_DB = -60;

/** One audio stream of a source, as the speech extractor chooses among them. */
export interface SpeechAudioStream {
  /** The stream's index in the container (what `-map 0:<index>` names). */
  index: number;
  isDefault: boolean;
  language: string | null;
}

const audioProbeSchema = z.object({
  streams: z
    .array(
      z.object({
        index: z.number(),
        codec_type: z.string().optional(),
        disposition: z.record(z.string(), z.number()).optional(),
        tags: z.record(z.string(), z.string()).optional(),
      }),
    )
    .default([]),
});

interface SpeechRunOptions {
  log: Logger;
  signal?: AbortSignal | undefined;
  pidDir?: string | undefined;
}

/** Lists a file's audio streams in container order (an empty list when it has none). */
export async function listAudioStreams(
  tools: MediaTools,
  absPath: string,
  options: SpeechRunOptions,
): Promise<SpeechAudioStream[]> {
  const args = ['-show_streams', '-select_streams', 'a', fileUrlArg(absPath)];
  const parsed = audioProbeSchema.parse(await runFfprobeJson(tools, args, options));
  return parsed.streams
    .filter((stream) => stream.codec_type === undefined || stream.codec_type === 'audio')
    .map((stream) => ({
      index: stream.index,
      isDefault: stream.disposition?.['default'] === 1,
      language: stream.tags?.['language'] ?? null,
    }));
}

/**
 * The stream to transcribe: the first one flagged default, else the first by index. Chosen
 * here rather than left to ffmpeg, whose own pick favours channel count over the flag.
 */
export function chooseSpeechStream(
  streams: readonly SpeechAudioStream[],
): SpeechAudioStream | null {
  const ordered = [...streams].sort((a, b) => a.index - b.index);
  return ordered.find((stream) => stream.isDefault) ?? ordered[0] ?? null;
}

/** ffmpeg arguments that write one audio stream as 16 kHz mono 16-bit PCM WAV. */
export function speechExtractionArgs(input: string, streamIndex: number, output: string): string[] {
  return [
    '-i',
    fileUrlArg(input),
    '-map',
    `0:${streamIndex}`,
    '-vn',
    '-sn',
    '-dn',
    '-ac',
    '1',
    '-ar',
    String(SPEECH_SAMPLE_RATE),
    '-c:a',
    'pcm_s16le',
    '-f',
    'wav',
    fileUrlArg(output),
  ];
}

/** Writes the chosen audio stream of `input` to `output` as speech-ready WAV. */
export async function extractSpeechAudio(
  tools: MediaTools,
  input: { path: string; streamIndex: number; durationSeconds?: number | undefined },
  output: string,
  options: SpeechRunOptions & { onProgress?: ((percent: number) => void) | undefined },
): Promise<void> {
  await runFfmpeg(tools, speechExtractionArgs(input.path, input.streamIndex, output), {
    ...options,
    durationSeconds: input.durationSeconds,
  });
}

/**
 * The loudest sample of an audio file in dBFS (-Infinity for pure digital silence), or null
 * when ffmpeg did not report it.
 */
export async function measurePeakVolume(
  tools: MediaTools,
  absPath: string,
  options: SpeechRunOptions,
): Promise<number | null> {
  const args = ['-i', fileUrlArg(absPath), '-af', 'volumedetect', '-f', 'null', '-'];
  const { stderrTail } = await runFfmpeg(tools, args, options);
  return parseMaxVolume(stderrTail);
}

/** Reads volumedetect's "max_volume: -12.3 dB" line; silence reads as -inf. */
export function parseMaxVolume(stderr: string): number | null {
  const match = /max_volume:\s*(-?inf|-?[\d.]+)\s*dB/i.exec(stderr);
  if (!match?.[1]) return null;
  return /inf/i.test(match[1]) ? Number.NEGATIVE_INFINITY : Number(match[1]);
}
