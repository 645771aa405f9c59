import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '../../src-main/log';
import { readPlaylist } from '../../src-main/media/hls';
import { mediaToolsForTests } from '../../src-main/media/testing';
import type { MediaTools } from '../../src-main/media/tools';

const execFileAsync = promisify(execFile);

export const log = createLogger('media-test');
export { mediaToolsForTests };

/**
 * The ffprobe used to check outputs. The @ffprobe-installer build crashes on MPEG-TS, so
 * a system ffprobe is preferred as the independent checker when there is one.
 */
export function checkerProbe(tools: MediaTools): string {
  const configured = process.env['VLOG_FFPROBE_PATH'];
  if (configured) return configured;
  return existsSync('/usr/bin/ffprobe') ? '/usr/bin/ffprobe' : tools.ffprobePath;
}

/** Runs the checker ffprobe with JSON output on one file. */
export async function ffprobeJson<T>(probe: string, file: string, args: string[]): Promise<T> {
  const { stdout } = await execFileAsync(
    probe,
    ['-v', 'error', '-print_format', 'json', ...args, `file:${file}`],
    { maxBuffer: 32 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as T;
}

/** Makes a small input with ffmpeg (no shell): `args` are everything between -y and the output. */
export async function makeClip(tools: MediaTools, output: string, args: string[]): Promise<string> {
  await execFileAsync(tools.ffmpegPath, [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    ...args,
    `file:${output}`,
  ]);
  return output;
}

export interface StreamInfo {
  codec_type: string;
  codec_name?: string;
  profile?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  color_range?: string;
  color_space?: string;
  color_transfer?: string;
  color_primaries?: string;
  channels?: number;
  sample_rate?: string;
  side_data_list?: Array<Record<string, unknown>>;
  tags?: Record<string, string>;
}

/** The streams of a rendition's first segment. */
export async function segmentStreams(probe: string, renditionDir: string): Promise<StreamInfo[]> {
  const playlist = await readPlaylist(path.join(renditionDir, 'playlist.m3u8'));
  const first = path.join(renditionDir, playlist.segments[0]?.uri ?? '');
  const result = await ffprobeJson<{ streams: StreamInfo[] }>(probe, first, ['-show_streams']);
  return result.streams;
}

/** Presentation times of every video keyframe across a rendition's segments, in order. */
export async function keyframeTimes(probe: string, renditionDir: string): Promise<string[]> {
  const playlist = await readPlaylist(path.join(renditionDir, 'playlist.m3u8'));
  const times: string[] = [];
  for (const segment of playlist.segments) {
    const result = await ffprobeJson<{ packets: Array<{ pts_time: string; flags: string }> }>(
      probe,
      path.join(renditionDir, segment.uri),
      ['-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags'],
    );
    const keys = result.packets.filter((p) => p.flags.startsWith('K'));
    times.push(...keys.map((p) => Number(p.pts_time).toFixed(3)));
  }
  return times;
}
