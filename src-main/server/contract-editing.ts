/**
 * The JSON shapes of the studio's chapter and caption editing routes (paths are in
 * contract.ts `routes`). Shared with the renderer, so free of node modules.
 */
import { z } from 'zod';

const seconds = z.number().finite();

export const chapterSchema = z.object({
  id: z.number().int(),
  video_id: z.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  start_time: z.number(),
  end_time: z.number().nullable(),
  position: z.number().int(),
  created_at: z.string(),
  updated_at: z.string().nullable(),
});
export type Chapter = z.infer<typeof chapterSchema>;

export const chapterListSchema = z.object({ chapters: z.array(chapterSchema) });
export type ChapterList = z.infer<typeof chapterListSchema>;

export const chapterCreateRequestSchema = z
  .object({
    title: z.string().trim().min(1, 'give the chapter a title').max(255),
    description: z.string().max(10_000).nullable().optional(),
    start_time: seconds,
    end_time: seconds.nullable().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type ChapterCreateRequest = z.infer<typeof chapterCreateRequestSchema>;

export const chapterUpdateRequestSchema = z
  .object({
    title: z.string().trim().min(1, 'give the chapter a title').max(255),
    description: z.string().max(10_000).nullable(),
    start_time: seconds,
    end_time: seconds.nullable(),
  })
  .partial()
  .strict();
export type ChapterUpdateRequest = z.infer<typeof chapterUpdateRequestSchema>;

export const chapterReorderRequestSchema = z
  .object({ chapter_ids: z.array(z.number().int().positive()).max(1000) })
  .strict();
export type ChapterReorderRequest = z.infer<typeof chapterReorderRequestSchema>;

export const chapterAutoDetectRequestSchema = z
  .object({
    /** Where to look: the file's own chapter metadata, the description, or both (file first). */
    source: z.enum(['metadata', 'description', 'both']).default('both'),
    /** Chapters already there are replaced only when this is true. */
    replace: z.boolean().default(false),
  })
  .strict();
export type ChapterAutoDetectRequest = z.input<typeof chapterAutoDetectRequestSchema>;

export const chapterAutoDetectResultSchema = chapterListSchema.extend({
  /** Where the chapters came from; 'none' when nothing was found. */
  source: z.enum(['metadata', 'description', 'none']),
  found: z.number().int(),
});
export type ChapterAutoDetectResult = z.infer<typeof chapterAutoDetectResultSchema>;

export const captionCueSchema = z.object({
  start: seconds.min(0, 'a cue starts at 0 seconds or later'),
  end: seconds,
  text: z.string().max(10_000),
  settings: z.string().max(200).optional(),
});
export type CaptionCueJson = z.infer<typeof captionCueSchema>;

/** PUT …/transcript: the cues, either as a bare array or as `{ cues, language }`. */
export const transcriptUpdateRequestSchema = z.union([
  z.array(captionCueSchema).max(20_000),
  z
    .object({
      cues: z.array(captionCueSchema).max(20_000),
      language: z
        .string()
        .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'use a language code such as "en"')
        .optional(),
    })
    .strict(),
]);
export type TranscriptUpdateRequest = z.infer<typeof transcriptUpdateRequestSchema>;

export const transcriptSchema = z.object({
  video_id: z.number().int(),
  /** 'none' when the video has no captions; else the transcription's status. */
  status: z.string(),
  language: z.string().nullable(),
  word_count: z.number().int().nullable(),
  transcript_text: z.string().nullable(),
  error_message: z.string().nullable(),
  completed_at: z.string().nullable(),
  /** The captions file for players, null while there is none. */
  vtt_url: z.string().nullable(),
  cues: z.array(captionCueSchema),
});
export type Transcript = z.infer<typeof transcriptSchema>;

export const transcriptUploadResultSchema = transcriptSchema.extend({
  /** The encoding the file was read in; it is stored as UTF-8. */
  detected_encoding: z.string(),
  source_format: z.enum(['vtt', 'srt']),
});
export type TranscriptUploadResult = z.infer<typeof transcriptUploadResultSchema>;
