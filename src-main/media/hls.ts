import { readFile, stat, statfs, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { MediaError } from './errors';

/** One media segment listed in a rendition's playlist. */
export interface PlaylistSegment {
  uri: string;
  durationSeconds: number;
}

/** A parsed HLS media playlist (the per-rendition file). */
export interface MediaPlaylist {
  version: number | null;
  targetDurationSeconds: number | null;
  playlistType: string | null;
  independentSegments: boolean;
  endList: boolean;
  segments: PlaylistSegment[];
}

/** A finished, verified rendition: what the master playlist and the database record. */
export interface RenditionOutput {
  name: string;
  width: number;
  height: number;
  videoBitrateKbps: number;
  audioBitrateKbps: number;
  /** Peak bits per second over any one segment. */
  bandwidth: number;
  /** Bits per second over the whole rendition. */
  averageBandwidth: number;
  /** RFC 6381 codecs, e.g. "avc1.64001f,mp4a.40.2"; no audio codec when there is no audio. */
  codecs: string;
  frameRate: number;
  /** Relative to the output folder: "<name>/playlist.m3u8". */
  playlist: string;
  segmentCount: number;
  durationSeconds: number;
}

/** Parses a media playlist's text; unknown tags are ignored. */
export function parsePlaylist(text: string): MediaPlaylist {
  const playlist: MediaPlaylist = {
    version: null,
    targetDurationSeconds: null,
    playlistType: null,
    independentSegments: false,
    endList: false,
    segments: [],
  };
  let pendingDuration: number | null = null;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (!line.startsWith('#')) {
      if (pendingDuration !== null) {
        playlist.segments.push({ uri: line, durationSeconds: pendingDuration });
      }
      pendingDuration = null;
      continue;
    }
    const [tag, value = ''] = splitTag(line);
    if (tag === '#EXTINF') pendingDuration = Number(value.split(',')[0]);
    else if (tag === '#EXT-X-VERSION') playlist.version = Number(value);
    else if (tag === '#EXT-X-TARGETDURATION') playlist.targetDurationSeconds = Number(value);
    else if (tag === '#EXT-X-PLAYLIST-TYPE') playlist.playlistType = value;
    else if (tag === '#EXT-X-INDEPENDENT-SEGMENTS') playlist.independentSegments = true;
    else if (tag === '#EXT-X-ENDLIST') playlist.endList = true;
  }
  return playlist;
}

function splitTag(line: string): [string, string?] {
  const colon = line.indexOf(':');
  return colon === -1 ? [line] : [line.slice(0, colon), line.slice(colon + 1)];
}

/** Reads and parses a media playlist file. */
export async function readPlaylist(file: string): Promise<MediaPlaylist> {
  return parsePlaylist(await readFile(file, 'utf8'));
}

/**
 * Checks a rendition folder whatever ffmpeg's exit code was: the playlist is complete
 * (ENDLIST), every segment exists and is non-empty, and the durations add up to the source's.
 */
export async function validateRenditionOutput(
  dir: string,
  options: { expectedDurationSeconds: number; toleranceSeconds?: number; playlistName?: string },
): Promise<{ segmentCount: number; durationSeconds: number }> {
  const playlistFile = path.join(dir, options.playlistName ?? 'playlist.m3u8');
  const tolerance = options.toleranceSeconds ?? 0.5;

  const playlist = await readPlaylist(playlistFile).catch(async (error: unknown) => {
    await throwIfDiskFull(dir);
    throw invalid(`The playlist ${playlistFile} was not written.`, dir, error);
  });
  if (!playlist.endList || playlist.segments.length === 0) {
    await throwIfDiskFull(dir);
    throw invalid(`The playlist ${playlistFile} is incomplete (no segments or no ENDLIST).`, dir);
  }
  for (const segment of playlist.segments) {
    await checkSegment(dir, segment.uri);
  }
  const durationSeconds = sumDurations(playlist.segments);
  if (Math.abs(durationSeconds - options.expectedDurationSeconds) > tolerance) {
    // A complete playlist of the wrong length comes from the source itself (cut off after
    // its index, or damaged): encoding it again gives the same result.
    throw new MediaError(
      'OUTPUT_INVALID',
      `The encoded video lasts ${durationSeconds.toFixed(2)} s but the source claims ` +
        `${options.expectedDurationSeconds.toFixed(2)} s: the source is probably damaged or ` +
        'incomplete. Upload the complete file again.',
      { retryable: false, detail: { dir, durationSeconds } },
    );
  }
  return { segmentCount: playlist.segments.length, durationSeconds };
}

async function checkSegment(dir: string, uri: string): Promise<void> {
  const file = path.join(dir, uri);
  const info = await stat(file).catch(() => null);
  if (info !== null && info.size > 0) return;
  await throwIfDiskFull(dir);
  throw invalid(`The segment ${file} is missing or empty.`, dir);
}

/** Below this much free space, a missing or empty output is blamed on a full disk. */
const FULL_DISK_BYTES = 4 * 1024 * 1024;

async function throwIfDiskFull(dir: string): Promise<void> {
  const fsInfo = await statfs(dir).catch(() => null);
  if (fsInfo === null || fsInfo.bavail * fsInfo.bsize >= FULL_DISK_BYTES) return;
  throw new MediaError(
    'NO_SPACE',
    'No space left on device: free disk space in the data folder, then try again.',
    { retryable: false, detail: { dir, freeBytes: fsInfo.bavail * fsInfo.bsize } },
  );
}

function invalid(message: string, dir: string, cause?: unknown): MediaError {
  return new MediaError('OUTPUT_INVALID', message, { detail: { dir }, cause });
}

function sumDurations(segments: readonly PlaylistSegment[]): number {
  const total = segments.reduce((sum, segment) => sum + segment.durationSeconds, 0);
  return Math.round(total * 1000) / 1000;
}

/** Peak and average bits per second of a rendition, measured from its segment files. */
export async function measureBandwidth(
  dir: string,
  playlist: MediaPlaylist,
): Promise<{ bandwidth: number; averageBandwidth: number }> {
  let peak = 0;
  let totalBits = 0;
  for (const segment of playlist.segments) {
    const bits = (await stat(path.join(dir, segment.uri))).size * 8;
    totalBits += bits;
    // A short final segment would overstate the peak; measure it over at least one second.
    peak = Math.max(peak, bits / Math.max(segment.durationSeconds, 1));
  }
  const duration = sumDurations(playlist.segments);
  const average = duration > 0 ? totalBits / duration : 0;
  return { bandwidth: Math.ceil(Math.max(peak, average)), averageBandwidth: Math.ceil(average) };
}

/** The master playlist's text: one variant per rendition, in the order given. */
export function masterPlaylistText(renditions: readonly RenditionOutput[]): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const r of renditions) {
    const attributes = [
      `BANDWIDTH=${r.bandwidth}`,
      `AVERAGE-BANDWIDTH=${r.averageBandwidth}`,
      `RESOLUTION=${r.width}x${r.height}`,
      `CODECS="${r.codecs}"`,
      `FRAME-RATE=${r.frameRate.toFixed(3)}`,
    ];
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, r.playlist);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `master.m3u8` into outputDir (via a temporary file, so readers never see half). */
export async function writeMasterPlaylist(
  outputDir: string,
  renditions: readonly RenditionOutput[],
): Promise<string> {
  if (renditions.length === 0) {
    throw new MediaError('OUTPUT_INVALID', 'A master playlist needs at least one rendition.', {
      retryable: false,
    });
  }
  const file = path.join(outputDir, 'master.m3u8');
  const temporary = `${file}.tmp`;
  await writeFile(temporary, masterPlaylistText(renditions));
  await rename(temporary, file);
  return file;
}

/** The CODECS attribute: video, and AAC-LC audio only when the rendition has audio. */
export function codecsAttribute(videoCodec: string, hasAudio: boolean): string {
  return hasAudio ? `${videoCodec},mp4a.40.2` : videoCodec;
}
