import { readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PLAYLIST_NAME, type LadderResumePoint } from './commands';
import { readPlaylist, type PlaylistSegment } from './hls';
import { firstPmtPid, pmtStreams, readPackets } from './ts-inspect';

/** A resume point with the segments kept in every rendition (identical boundaries). */
export interface LadderResume extends LadderResumePoint {
  /** The kept segments, the same durations in every rendition. */
  kept: PlaylistSegment[];
}

const SEGMENT_FILE = /^segment-(\d{5})\.ts$/;
/** Renditions cut at the same forced keyframes; their segment lengths may differ only by this. */
const BOUNDARY_TOLERANCE_SECONDS = 0.1;

/**
 * Counts the segments an interrupted run finished in one rendition folder: ffmpeg closes a
 * segment before it opens the next, so segment n is whole when segment n+1 exists.
 */
export async function countFinishedSegments(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const numbers = new Set(
    names.flatMap((name) => {
      const match = SEGMENT_FILE.exec(name);
      return match ? [Number(match[1])] : [];
    }),
  );
  let finished = 0;
  while (numbers.has(finished) && numbers.has(finished + 1)) finished++;
  return finished;
}

/** Segment file name for a sequence number, as SEGMENT_PATTERN writes it. */
export function segmentName(sequence: number): string {
  return `segment-${String(sequence).padStart(5, '0')}.ts`;
}

/** Reads the 33-bit PTS of a PES header, or null when it carries none. */
function pesPts(payload: Uint8Array): number | null {
  if (payload[0] !== 0 || payload[1] !== 0 || payload[2] !== 1) return null;
  if ((((payload[7] ?? 0) >> 6) & 0x2) === 0) return null;
  const b = (i: number): number => payload[9 + i] ?? 0;
  const high = (b(0) >> 1) & 0x07;
  const rest = ((b(1) << 22) | ((b(2) >> 1) << 15) | (b(3) << 7) | (b(4) >> 1)) >>> 0;
  return high * 2 ** 30 + rest;
}

/**
 * Video duration of one of our MPEG-TS segments, from its PES timestamps (last − first plus
 * one frame interval). Read here, not with ffprobe: the bundled ffprobe crashes on MPEG-TS.
 */
export function segmentVideoSeconds(data: Uint8Array): number | null {
  const packets = [...readPackets(data)];
  const pmtPid = firstPmtPid(packets);
  const video =
    pmtPid === null ? undefined : pmtStreams(packets, pmtPid).find((s) => s.type === 0x1b);
  if (video === undefined) return null;
  const times = packets
    .filter((p) => p.pid === video.pid && p.unitStart)
    .map((p) => pesPts(p.payload))
    .filter((pts): pts is number => pts !== null)
    .sort((a, b) => a - b);
  if (times.length < 2) return null;
  const steps = times
    .slice(1)
    .map((t, i) => t - (times[i] ?? t))
    .sort((a, b) => a - b);
  const frame = steps[Math.floor(steps.length / 2)] ?? 0;
  const last = times[times.length - 1] ?? 0;
  return (last - (times[0] ?? 0) + frame) / 90_000;
}

async function measureSegmentSeconds(file: string): Promise<number | null> {
  const data = await readFile(file).catch(() => null);
  return data === null ? null : segmentVideoSeconds(data);
}

/**
 * Decides where an interrupted ladder continues: at the last segment boundary every
 * rendition reached, with each kept segment measured and checked to be a full segment of
 * the same length in every rendition. Null when nothing can be kept.
 */
export async function planLadderResume(options: {
  outputDir: string;
  renditionNames: readonly string[];
  segmentSeconds: number;
}): Promise<LadderResume | null> {
  const { outputDir, renditionNames } = options;
  if (renditionNames.length === 0) return null;
  const counts = await Promise.all(
    renditionNames.map((name) => countFinishedSegments(path.join(outputDir, name))),
  );
  const common = Math.min(...counts);
  const kept: PlaylistSegment[] = [];
  for (let sequence = 0; sequence < common; sequence++) {
    const uri = segmentName(sequence);
    const lengths = await Promise.all(
      renditionNames.map((name) => measureSegmentSeconds(path.join(outputDir, name, uri))),
    );
    const duration = lengths[0];
    const agree = lengths.every(
      (length) =>
        length !== null &&
        duration !== null &&
        duration !== undefined &&
        Math.abs(length - duration) <= BOUNDARY_TOLERANCE_SECONDS,
    );
    // Only full-length segments: a short one means the cut was not at the planned boundary.
    if (!agree || duration === null || duration === undefined) break;
    if (duration < options.segmentSeconds - BOUNDARY_TOLERANCE_SECONDS) break;
    kept.push({ uri, durationSeconds: Math.round(duration * 1e6) / 1e6 });
  }
  if (kept.length === 0) return null;
  const startSeconds = kept.reduce((sum, segment) => sum + segment.durationSeconds, 0);
  return { startSeconds, startNumber: kept.length, kept };
}

/** Removes what a rendition folder holds beyond the kept segments (the cut-off one, playlists). */
export async function trimToKeptSegments(dir: string, keptCount: number): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const match = SEGMENT_FILE.exec(name);
    if (match && Number(match[1]) < keptCount) continue;
    await rm(path.join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Joins the kept segments and the resumed run's playlist into one VOD playlist. A
 * DISCONTINUITY tag marks the join: the encoder restarted there, so its timestamps may
 * differ by a frame's reorder delay, and players must not assume they run on unbroken.
 */
export async function stitchResumedPlaylist(dir: string, resume: LadderResume): Promise<void> {
  const file = path.join(dir, PLAYLIST_NAME);
  const resumed = await readPlaylist(file);
  const all = [...resume.kept, ...resumed.segments];
  const target = Math.round(Math.max(...all.map((s) => s.durationSeconds)));
  const line = (s: PlaylistSegment) => `#EXTINF:${s.durationSeconds.toFixed(6)},\n${s.uri}`;
  const text = [
    '#EXTM3U',
    '#EXT-X-VERSION:6',
    `#EXT-X-TARGETDURATION:${Math.max(1, target)}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    ...resume.kept.map(line),
    ...(resumed.segments.length > 0 ? ['#EXT-X-DISCONTINUITY'] : []),
    ...resumed.segments.map(line),
    ...(resumed.endList ? ['#EXT-X-ENDLIST'] : []),
  ].join('\n');
  const temporary = `${file}.tmp`;
  await writeFile(temporary, `${text}\n`);
  await rename(temporary, file);
}

/** True when a folder holds at least one segment file (an interrupted run's output). */
export async function hasSegments(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) return false;
  return (await readdir(dir)).some((name) => SEGMENT_FILE.test(name));
}
