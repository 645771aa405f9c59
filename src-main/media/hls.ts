import { readdir, readFile, stat, statfs, writeFile, rename } from 'node:fs/promises';
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
  /** How the segments are packaged; MPEG-TS when not given. */
  segmentFormat?: 'mpegts' | 'fmp4';
}

/** An EXT-X-MEDIA rendition: an alternate audio track or a WebVTT subtitle track. */
export interface AlternateRendition {
  type: 'AUDIO' | 'SUBTITLES';
  groupId: string;
  name: string;
  /** BCP 47, e.g. "fr"; null when the source did not say. */
  language: string | null;
  isDefault: boolean;
  /** Relative to the output folder. */
  uri: string;
  channels?: number;
  codecs?: string;
  bandwidth?: number;
  averageBandwidth?: number;
}

/** Each alternate rendition folder describes itself in this file, for the master playlist. */
export const ALTERNATE_DESCRIPTION = 'rendition.json';

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

/**
 * The master playlist's text, per Apple's HLS authoring spec: VERSION 7 when segments are
 * fMP4 (EXT-X-MAP), alternate audio and subtitle groups, and the variants of the main codec
 * before the H.264 fallbacks, each group from the highest bandwidth down.
 */
export function masterPlaylistText(
  renditions: readonly RenditionOutput[],
  alternates: readonly AlternateRendition[] = [],
): string {
  const fmp4 = renditions.some((r) => r.segmentFormat === 'fmp4');
  const lines = ['#EXTM3U', `#EXT-X-VERSION:${fmp4 ? 7 : 3}`, '#EXT-X-INDEPENDENT-SEGMENTS'];
  lines.push(...alternates.map(mediaLine));
  const audio = alternates.filter((a) => a.type === 'AUDIO');
  const hasSubtitles = alternates.some((a) => a.type === 'SUBTITLES');
  const audioPeak = Math.max(0, ...audio.map((a) => a.bandwidth ?? 0));
  const audioAverage = Math.max(0, ...audio.map((a) => a.averageBandwidth ?? 0));
  for (const r of sortVariants(renditions)) {
    const codecs = audio.length > 0 ? codecsAttribute(r.codecs, true) : r.codecs;
    const attributes = [
      `BANDWIDTH=${r.bandwidth + audioPeak}`,
      `AVERAGE-BANDWIDTH=${r.averageBandwidth + audioAverage}`,
      `RESOLUTION=${r.width}x${r.height}`,
      `CODECS="${codecs}"`,
      `FRAME-RATE=${r.frameRate.toFixed(3)}`,
      ...(audio.length > 0 ? [`AUDIO="${audio[0]?.groupId ?? ''}"`] : []),
      ...(hasSubtitles ? ['SUBTITLES="subs"'] : []),
    ];
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, r.playlist);
  }
  return `${lines.join('\n')}\n`;
}

/** Main-codec variants first (H.264 fallbacks after), each group by bandwidth, highest first. */
function sortVariants(renditions: readonly RenditionOutput[]): RenditionOutput[] {
  const isAvc = (r: RenditionOutput): number => (r.codecs.startsWith('avc1') ? 1 : 0);
  const mainIsAvc = renditions.every((r) => isAvc(r) === 1);
  return [...renditions].sort((a, b) => {
    const group = mainIsAvc ? 0 : isAvc(a) - isAvc(b);
    return group !== 0 ? group : b.bandwidth - a.bandwidth;
  });
}

function mediaLine(a: AlternateRendition): string {
  const attributes = [
    `TYPE=${a.type}`,
    `GROUP-ID="${a.groupId}"`,
    ...(a.language ? [`LANGUAGE="${a.language}"`] : []),
    `NAME="${a.name.replace(/"/g, "'")}"`,
    `DEFAULT=${a.isDefault ? 'YES' : 'NO'}`,
    'AUTOSELECT=YES',
    ...(a.type === 'SUBTITLES' ? ['FORCED=NO'] : []),
    ...(a.channels !== undefined ? [`CHANNELS="${a.channels}"`] : []),
    `URI="${a.uri}"`,
  ];
  return `#EXT-X-MEDIA:${attributes.join(',')}`;
}

/** The alternate renditions an output folder holds, read from their descriptions. */
export async function readAlternates(outputDir: string): Promise<AlternateRendition[]> {
  const names = await readdir(outputDir).catch(() => [] as string[]);
  const found: AlternateRendition[] = [];
  for (const name of names.sort()) {
    if (!/^(audio|subs)-\d+$/.test(name)) continue;
    const file = path.join(outputDir, name, ALTERNATE_DESCRIPTION);
    const raw = await readFile(file, 'utf8').catch(() => null);
    if (raw !== null) found.push(JSON.parse(raw) as AlternateRendition);
  }
  return found;
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
  const alternates = await readAlternates(outputDir);
  await writeFile(temporary, masterPlaylistText(renditions, alternates));
  await rename(temporary, file);
  return file;
}

/** The CODECS attribute: video, and AAC-LC audio only when the rendition has audio. */
export function codecsAttribute(videoCodec: string, hasAudio: boolean): string {
  return hasAudio ? `${videoCodec},mp4a.40.2` : videoCodec;
}
