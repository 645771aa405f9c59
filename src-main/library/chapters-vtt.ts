import { formatVttTime } from './captions-format';

/** A chapter as the chapters track needs it. */
export interface TimedChapter {
  title: string;
  start_time: number;
  end_time: number | null;
}

/**
 * Each chapter's span for playback: its own end when set, else the next chapter's start, else
 * the end of the video. Sorted by start time.
 */
export function chapterSpans(
  chapters: readonly TimedChapter[],
  durationSeconds: number,
): { title: string; start: number; end: number }[] {
  const sorted = [...chapters].sort((a, b) => a.start_time - b.start_time);
  return sorted.map((chapter, index) => {
    const next = sorted[index + 1]?.start_time;
    const fallback = next ?? Math.max(durationSeconds, chapter.start_time + 1);
    return { title: chapter.title, start: chapter.start_time, end: chapter.end_time ?? fallback };
  });
}

/** The chapters as a WebVTT chapters track (kind="chapters"). */
export function chaptersToVtt(chapters: readonly TimedChapter[], durationSeconds: number): string {
  const cues = chapterSpans(chapters, durationSeconds).map(
    (span, index) =>
      `chapter-${index + 1}\n${formatVttTime(span.start)} --> ${formatVttTime(span.end)}\n` +
      `${span.title.replace(/\s*\n\s*/g, ' ').replace(/-->/g, '→')}\n`,
  );
  return ['WEBVTT', '', ...cues.map((cue) => cue)].join('\n');
}
