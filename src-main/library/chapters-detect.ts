import { z } from 'zod';
import type { Logger } from '../log';
import { fileUrlArg } from '../media/probe';
import { runFfprobeJson } from '../media/runner';
import type { MediaTools } from '../media/tools';
import type { ChapterInput } from './chapters';

/** A chapter found in a file or a description, before it is stored. */
export interface DetectedChapter {
  title: string;
  start_time: number;
  end_time: number | null;
}

// "02:15 Intro", "1:02:03 - Part two", "[0:30] Setup", "(12:05) — Outro", "5:00: Q&A"
const timestampLine =
  /^\s*(?:[-*•]\s*)?[[(]?((?:\d{1,2}:)?\d{1,2}:\d{2})(?:\.\d+)?[\])]?\s*(?:[-–—:|.]\s*)?(.+?)\s*$/;

/** "1:02:03" → 3723 seconds; undefined when minutes or seconds are out of range. */
export function parseClock(text: string): number | undefined {
  const parts = text.split(':').map(Number);
  if (parts.some((p) => !Number.isInteger(p) || p < 0)) return undefined;
  const [h, m, s] = parts.length === 3 ? parts : [0, parts[0] ?? 0, parts[1] ?? 0];
  if (s! > 59 || (parts.length === 3 && m! > 59)) return undefined;
  return h! * 3600 + m! * 60 + s!;
}

/**
 * Finds chapter lines in a description: a timestamp at the start of a line followed by a
 * title. Sorted by time, one per moment, those at or past the end of the video dropped.
 */
export function chaptersFromDescription(
  description: string,
  durationSeconds: number,
): DetectedChapter[] {
  const byStart = new Map<number, string>();
  for (const line of description.split(/\r?\n/)) {
    const match = timestampLine.exec(line);
    if (!match) continue;
    const start = parseClock(match[1]!);
    const title = match[2]!.trim().slice(0, 255);
    if (start === undefined || title.length === 0 || byStart.has(start)) continue;
    if (durationSeconds > 0 && start >= durationSeconds) continue;
    byStart.set(start, title);
  }
  return [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, title]) => ({ title, start_time: start, end_time: null }));
}

const probedChapters = z.object({
  chapters: z
    .array(
      z.object({
        start_time: z.coerce.number(),
        end_time: z.coerce.number().optional(),
        tags: z.record(z.string(), z.string()).optional(),
      }),
    )
    .default([]),
});

/** Reads the chapters written into a media file (MP4 chapters, Matroska editions…). */
export async function chaptersFromFile(
  tools: MediaTools,
  absPath: string,
  options: { log: Logger; durationSeconds: number },
): Promise<DetectedChapter[]> {
  const raw = await runFfprobeJson(tools, ['-show_chapters', fileUrlArg(absPath)], options);
  const { chapters } = probedChapters.parse(raw);
  const limit = options.durationSeconds > 0 ? options.durationSeconds : Infinity;
  return chapters
    .filter((c) => Number.isFinite(c.start_time) && c.start_time >= 0 && c.start_time < limit)
    .map((c, index) => {
      const title = c.tags?.['title'] ?? c.tags?.['TITLE'] ?? `Chapter ${index + 1}`;
      const end = c.end_time !== undefined && c.end_time > c.start_time ? c.end_time : null;
      return {
        title: title.trim().slice(0, 255) || `Chapter ${index + 1}`,
        start_time: roundMs(c.start_time),
        end_time: end === null ? null : roundMs(Math.min(end, limit)),
      };
    });
}

function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/** Up to `max` detected chapters as inputs for the store, file chapters winning over text. */
export function chapterInputs(found: DetectedChapter[], max: number): ChapterInput[] {
  return found.slice(0, max).map((c) => ({ ...c }));
}
