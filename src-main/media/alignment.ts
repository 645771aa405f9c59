import path from 'node:path';
import { MediaError } from './errors';
import { readPlaylist, type MediaPlaylist } from './hls';

/** A player switching renditions mid-stream needs segment starts within one frame of each other. */
const ALIGNMENT_TOLERANCE_SECONDS = 0.05;

/** Start times of every segment after the first, from the playlist's durations. */
export function segmentBoundaries(playlist: Pick<MediaPlaylist, 'segments'>): number[] {
  const boundaries: number[] = [];
  let at = 0;
  for (const segment of playlist.segments.slice(0, -1)) {
    at += segment.durationSeconds;
    boundaries.push(Math.round(at * 1000) / 1000);
  }
  return boundaries;
}

/**
 * Checks that renditions cut their segments at the same times. Every segment starts on a
 * keyframe, so aligned boundaries mean a player can switch quality at any segment.
 */
export function checkBoundariesAligned(byRendition: ReadonlyMap<string, number[]>): void {
  const entries = [...byRendition.entries()];
  const [first] = entries;
  if (first === undefined) return;
  for (const [name, boundaries] of entries.slice(1)) {
    const aligned =
      boundaries.length === first[1].length &&
      boundaries.every(
        (at, i) => Math.abs(at - (first[1][i] ?? NaN)) <= ALIGNMENT_TOLERANCE_SECONDS,
      );
    if (aligned) continue;
    throw new MediaError(
      'OUTPUT_INVALID',
      `The ${name} rendition's segments do not start at the same times as ${first[0]}'s, ` +
        'so players could not switch quality cleanly. Transcode the video again.',
      { detail: { [first[0]]: first[1], [name]: boundaries } },
    );
  }
}

/** Reads each rendition's playlist under outputDir and checks their segment boundaries agree. */
export async function checkRenditionsAligned(
  outputDir: string,
  playlists: readonly string[],
): Promise<void> {
  const byRendition = new Map<string, number[]>();
  for (const playlist of playlists) {
    const parsed = await readPlaylist(path.join(outputDir, playlist));
    byRendition.set(path.dirname(playlist), segmentBoundaries(parsed));
  }
  checkBoundariesAligned(byRendition);
}
