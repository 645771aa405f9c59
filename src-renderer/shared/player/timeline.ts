/** A chapter as the player shows it: where it starts and ends on the timeline. */
export interface PlayerChapter {
  title: string;
  start: number;
  end: number;
}

/**
 * Each chapter's span: its own end when set, else the next chapter's start, else the end of
 * the video; sorted by start.
 */
export function chapterSpans(
  chapters: readonly { title: string; start_time: number; end_time: number | null }[],
  duration: number,
): PlayerChapter[] {
  const sorted = [...chapters].sort((a, b) => a.start_time - b.start_time);
  return sorted.map((chapter, index) => ({
    title: chapter.title,
    start: chapter.start_time,
    end:
      chapter.end_time ?? sorted[index + 1]?.start_time ?? Math.max(duration, chapter.start_time),
  }));
}

/** The chapter playing at a moment: the last one that started at or before it. */
export function chapterAt(
  chapters: readonly PlayerChapter[],
  time: number,
): PlayerChapter | undefined {
  let found: PlayerChapter | undefined;
  for (const chapter of chapters) if (chapter.start <= time) found = chapter;
  return found;
}

/** Seconds as "1:02:03" or "2:05". */
export function clockLabel(seconds: number): string {
  const whole = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** One preview frame of a thumbnails track: a rectangle of a sprite sheet. */
export interface PreviewFrame {
  start: number;
  end: number;
  url: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

function vttSeconds(text: string): number | undefined {
  const match = /^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  const [, h, m, s, ms] = match;
  return Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s) + Number(ms!.padEnd(3, '0')) / 1000;
}

/** Reads a WebVTT thumbnails track whose cues are `sheet.jpg#xywh=x,y,w,h`. */
export function parseThumbnailTrack(text: string, trackUrl: string): PreviewFrame[] {
  const frames: PreviewFrame[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((line, index) => {
    if (!line.includes('-->')) return;
    const [from, rest] = line.split('-->');
    const start = vttSeconds(from ?? '');
    const end = vttSeconds((rest ?? '').trim().split(/\s+/)[0] ?? '');
    const target = lines[index + 1]?.trim() ?? '';
    const hash = /#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(target);
    if (start === undefined || end === undefined || !hash) return;
    const url = new URL(target.slice(0, hash.index), new URL(trackUrl, 'http://x/')).toString();
    const [x, y, w, h] = hash.slice(1).map(Number) as [number, number, number, number];
    frames.push({ start, end, url: url.replace(/^http:\/\/x/, ''), x, y, w, h });
  });
  return frames;
}

/** The preview frame for a moment, or the nearest one before it. */
export function frameAt(frames: readonly PreviewFrame[], time: number): PreviewFrame | undefined {
  let found: PreviewFrame | undefined;
  for (const frame of frames) {
    if (frame.start <= time) found = frame;
    else break;
  }
  return found ?? frames[0];
}
