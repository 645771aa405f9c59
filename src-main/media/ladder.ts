import type { VideoCodec } from './formats';

/** One rung of the quality ladder: a size and the bitrates it is encoded at. */
export interface Rendition {
  /** Named by the short side, e.g. "720p" (also for portrait sources). */
  name: string;
  width: number;
  height: number;
  videoBitrateKbps: number;
  audioBitrateKbps: number;
  maxrateKbps: number;
  bufsizeKbps: number;
  /** The video codec of this rendition; H.264 when not given. */
  codec?: VideoCodec;
}

interface Rung {
  shortSide: number;
  videoKbps: number;
}

/**
 * VLog's ladder, tallest first; rungs are defined on the short side of the picture. The 240p
 * rung is the studio's own addition: a low-bandwidth variant (as Apple's HLS authoring spec
 * asks for) so that even a 360p source offers adaptive playback a step down.
 */
export const LADDER_RUNGS: readonly Rung[] = [
  { shortSide: 2160, videoKbps: 15000 },
  { shortSide: 1440, videoKbps: 8000 },
  { shortSide: 1080, videoKbps: 5000 },
  { shortSide: 720, videoKbps: 2500 },
  { shortSide: 480, videoKbps: 1000 },
  { shortSide: 360, videoKbps: 600 },
  { shortSide: 240, videoKbps: 300 },
];

const LOWEST_RUNG = 240;
const TOP_RUNG = 2160;
/** A source this close above a rung is served by that rung alone: no near-duplicate. */
const NATIVE_MARGIN = 1.05;
const MIN_VIDEO_KBPS = 150;

/** Audio bitrate by short side: richer audio where the picture is large. */
export function audioBitrateFor(shortSide: number): number {
  if (shortSide >= 1080) return 192;
  if (shortSide >= 480) return 128;
  return 96;
}

/**
 * The renditions for a source of this display size: every rung at or below it, plus the
 * source's own size on top when it falls between rungs. Never upscales, never empty.
 */
export function planLadder(video: { width: number; height: number }): Rendition[] {
  const width = Math.max(2, Math.round(video.width));
  const height = Math.max(2, Math.round(video.height));
  const shortSide = Math.min(width, height);

  if (shortSide < LOWEST_RUNG) {
    const native = { width: evenAtMost(width), height: evenAtMost(height) };
    return [makeRendition(native, nativeBitrate(shortSide))];
  }
  const fitting = LADDER_RUNGS.filter((rung) => rung.shortSide <= shortSide);
  const renditions = fitting.map((rung) =>
    makeRendition(sizeForShortSide(width, height, rung.shortSide), rung.videoKbps),
  );
  const top = fitting[0];
  const needsNative =
    top !== undefined && shortSide < TOP_RUNG && shortSide >= top.shortSide * NATIVE_MARGIN;
  if (needsNative) {
    const nativeSize = { width: evenAtMost(width), height: evenAtMost(height) };
    renditions.unshift(makeRendition(nativeSize, nativeBitrate(shortSide)));
  }
  return renditions;
}

/** Scales the source so its short side is `shortSide`, both sides even. */
export function sizeForShortSide(
  width: number,
  height: number,
  shortSide: number,
): { width: number; height: number } {
  const portrait = height > width;
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const scaledLong = toEven((shortSide * long) / short);
  return portrait
    ? { width: shortSide, height: scaledLong }
    : { width: scaledLong, height: shortSide };
}

/** Rounds to the nearest even number of at least 2: H.264 with 4:2:0 needs even sizes. */
export function toEven(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}

/** The largest even number not above the value (at least 2): the source is never upscaled. */
export function evenAtMost(value: number): number {
  return Math.max(2, Math.floor(value / 2) * 2);
}

/** Bitrate for a size between rungs, interpolated on the short side; below the lowest rung by area. */
function nativeBitrate(shortSide: number): number {
  const below = LADDER_RUNGS.find((rung) => rung.shortSide <= shortSide);
  const above = [...LADDER_RUNGS].reverse().find((rung) => rung.shortSide > shortSide);
  if (below === undefined) {
    const lowest = LADDER_RUNGS.at(-1) as Rung;
    const byArea = lowest.videoKbps * (shortSide / lowest.shortSide) ** 2;
    return Math.max(MIN_VIDEO_KBPS, Math.round(byArea / 10) * 10);
  }
  if (above === undefined) return below.videoKbps;
  const share = (shortSide - below.shortSide) / (above.shortSide - below.shortSide);
  const kbps = below.videoKbps + share * (above.videoKbps - below.videoKbps);
  return Math.round(kbps / 10) * 10;
}

function makeRendition(size: { width: number; height: number }, videoKbps: number): Rendition {
  const shortSide = Math.min(size.width, size.height);
  return {
    name: `${shortSide}p`,
    width: size.width,
    height: size.height,
    videoBitrateKbps: videoKbps,
    audioBitrateKbps: audioBitrateFor(shortSide),
    // A 10% peak allowance over the average, with two seconds of buffer: steady enough
    // for LAN playback while giving the encoder room on hard scenes.
    maxrateKbps: Math.round(videoKbps * 1.1),
    bufsizeKbps: videoKbps * 2,
  };
}
