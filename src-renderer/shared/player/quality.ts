/** One rendition as the player knows it: its index in the master playlist and its size. */
export interface PlayerLevel {
  index: number;
  height: number;
  bitrate: number;
}

/** One entry of the quality menu; `auto` lets the player adapt to the bandwidth. */
export interface QualityOption {
  value: 'auto' | number;
  label: string;
}

/** The quality menu: Auto first, then one entry per rendition height, tallest first. */
export function qualityOptions(levels: PlayerLevel[]): QualityOption[] {
  const byHeight = new Map<number, PlayerLevel>();
  for (const level of levels) {
    const known = byHeight.get(level.height);
    // Two renditions of one height differ in bitrate only: offer the better one.
    if (!known || level.bitrate > known.bitrate) byHeight.set(level.height, level);
  }
  const rungs = [...byHeight.values()].sort((a, b) => b.height - a.height);
  return [
    { value: 'auto', label: 'Auto' },
    ...rungs.map((level) => ({ value: level.index, label: qualityLabel(level.height) })),
  ];
}

/** "540p" for a 540-line rendition; "Audio" when the rendition has no picture. */
export function qualityLabel(height: number): string {
  return height > 0 ? `${height}p` : 'Audio';
}

/** The menu button's text: the choice, and under Auto the rendition now playing. */
export function qualityButtonLabel(
  selected: 'auto' | number,
  playing: PlayerLevel | undefined,
): string {
  if (selected !== 'auto') return playing ? qualityLabel(playing.height) : 'Quality';
  return playing ? `Auto (${qualityLabel(playing.height)})` : 'Auto';
}
