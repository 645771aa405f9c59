import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log';
import {
  describeAlternateAudio,
  extractSubtitles,
  planAlternateAudio,
  prepareAlternateFolders,
} from './alternates';
import { supportsAomRealtime, type EncoderChoice } from './codec-args';
import { alternateOutputs, INIT_SEGMENT_NAME, type LadderCommandInput } from './commands';
import { MediaError } from './errors';
import { resolveStreamingFormat, videoEncoderFor, type StreamingFormat } from './formats';
import type { AlternateRendition, MediaPlaylist } from './hls';
import type { Rendition } from './ladder';
import { inspectInitSegment } from './mp4-inspect';
import { fileUrlArg, type SourceInfo } from './probe';
import { runFfmpeg } from './runner';
import type { MediaTools } from './tools';
import { avcCodecName, inspectTransportStream } from './ts-inspect';

/** The command fields that depend on format and codec: packaging, encoders, audio layout. */
export function formatCommandFields(options: {
  tools: MediaTools;
  source: SourceInfo;
  renditions: readonly Rendition[];
  format?: StreamingFormat | undefined;
  chooseAudio: (source: SourceInfo) => number | null;
}): Pick<LadderCommandInput, 'format' | 'encoders' | 'alternateAudio' | 'audioIndex'> {
  const format = options.renditions.reduce<StreamingFormat>(
    (chosen, r) => resolveStreamingFormat(chosen, r.codec ?? 'h264'),
    options.format ?? 'hls_ts',
  );
  const alternateAudio = planAlternateAudio(options.source);
  return {
    format,
    encoders: chooseEncoders(options.tools, options.renditions),
    alternateAudio,
    // With alternate audio renditions the variants carry video only.
    audioIndex: alternateAudio.length > 0 ? null : options.chooseAudio(options.source),
  };
}

/** Checks, before any encoding, that this ffmpeg has an encoder for every codec planned. */
export function chooseEncoders(tools: MediaTools, renditions: readonly Rendition[]): EncoderChoice {
  const choice: EncoderChoice = { aomRealtime: supportsAomRealtime(tools) };
  for (const rendition of renditions) {
    const codec = rendition.codec ?? 'h264';
    if (codec === 'h264') videoEncoderFor(tools, codec);
    else choice[codec] = videoEncoderFor(tools, codec);
  }
  return choice;
}

/** Empties the alternate audio folders before the ladder's ffmpeg writes them. */
export async function prepareExtras(command: LadderCommandInput): Promise<void> {
  await prepareAlternateFolders(command.outputDir, command.alternateAudio ?? []);
}

/** The alternate audio on its own ffmpeg run (for the one-ffmpeg-per-rendition strategy). */
export async function encodeAlternateAudioAlone(
  tools: MediaTools,
  command: LadderCommandInput,
  run: { log: Logger; signal?: AbortSignal | undefined; pidDir?: string | undefined },
): Promise<void> {
  if ((command.alternateAudio ?? []).length === 0) return;
  const args = ['-i', fileUrlArg(command.input), ...alternateOutputs(command)];
  await runFfmpeg(tools, args, {
    log: run.log,
    signal: run.signal,
    pidDir: run.pidDir,
    durationSeconds: command.source.durationSeconds,
  });
}

/** Verifies the alternate audio and converts text subtitles, after the ladder ran. */
export async function finishExtras(options: {
  tools: MediaTools;
  command: LadderCommandInput;
  log: Logger;
  signal?: AbortSignal | undefined;
}): Promise<AlternateRendition[]> {
  const { command } = options;
  const audio = await describeAlternateAudio(
    command.outputDir,
    command.alternateAudio ?? [],
    command.source.durationSeconds,
  );
  const subtitles = await extractSubtitles({
    tools: options.tools,
    input: command.input,
    source: command.source,
    outputDir: command.outputDir,
    log: options.log,
    signal: options.signal,
  });
  if (audio.length + subtitles.length > 0) {
    options.log.info(
      { audioTracks: audio.length, subtitleTracks: subtitles.length },
      'alternate renditions written',
    );
  }
  return [...audio, ...subtitles];
}

/** What the output of one rendition really holds, read from its first (init) segment. */
export interface RenditionCodecs {
  videoCodec: string;
  hasAudio: boolean;
  segmentFormat: 'mpegts' | 'fmp4';
}

/** Reads the RFC 6381 codec of a rendition from its own files (init.mp4 or first TS). */
export async function inspectRenditionCodecs(
  dir: string,
  playlist: MediaPlaylist,
): Promise<RenditionCodecs> {
  const init = path.join(dir, INIT_SEGMENT_NAME);
  const isFmp4 = (await stat(init).catch(() => null))?.isFile() === true;
  if (isFmp4) {
    const summary = inspectInitSegment(await readFile(init));
    if (summary.videoCodec === null) throw noVideo(dir, { sampleEntry: summary.videoSampleEntry });
    return {
      videoCodec: summary.videoCodec,
      hasAudio: summary.audioCodec !== null,
      segmentFormat: 'fmp4',
    };
  }
  const firstSegment = path.join(dir, playlist.segments[0]?.uri ?? '');
  const summary = inspectTransportStream(await readFile(firstSegment));
  if (!summary.hasH264 || summary.avc === null) {
    throw noVideo(dir, { streamTypes: summary.streamTypes });
  }
  return {
    videoCodec: avcCodecName(summary.avc),
    hasAudio: summary.hasAudio,
    segmentFormat: 'mpegts',
  };
}

function noVideo(dir: string, detail: Record<string, unknown>): MediaError {
  return new MediaError('OUTPUT_INVALID', `The rendition in ${dir} has no readable video.`, {
    detail: { dir, ...detail },
  });
}
