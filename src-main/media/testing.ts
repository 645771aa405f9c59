import { locateMediaTools, type MediaTools } from './tools';

let cached: Promise<MediaTools> | undefined;

/** The binaries tests run: VLOG_FFMPEG_PATH / VLOG_FFPROBE_PATH when set, else the usual search. */
export function mediaToolsForTests(): Promise<MediaTools> {
  cached ??= locateMediaTools({
    ffmpegPath: process.env['VLOG_FFMPEG_PATH'] || undefined,
    ffprobePath: process.env['VLOG_FFPROBE_PATH'] || undefined,
  });
  return cached;
}
