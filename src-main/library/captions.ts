import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import {
  checkCues,
  countWords,
  cuesToVtt,
  decodeCaptionBytes,
  parseCaptions,
  transcriptText,
  type CaptionCue,
  type CaptionEncoding,
} from './captions-format';
import { LibraryError, videoNotFound } from './errors';
import { publishedDir, type DataPaths } from './paths';

/** The captions file of a video; the speech-to-text engine writes the same file. */
export const captionsFileName = 'captions.vtt';

/** The most cues a caption file may hold (about 8 hours of dense dialogue). */
export const maxCaptionCues = 20_000;

/** Where a video's captions live: videos/{slug}/captions.vtt. */
export function captionsPath(paths: DataPaths, slug: string): string {
  return path.join(publishedDir(paths, slug), captionsFileName);
}

/** The value stored in transcriptions.vtt_path: relative to the data folder. */
export function captionsVttPathColumn(slug: string): string {
  return `videos/${slug}/${captionsFileName}`;
}

/** A video's transcript as the studio shows it. */
export interface TranscriptState {
  video_id: number;
  /** 'none' when no transcription or captions exist; else the row's status. */
  status: string;
  language: string | null;
  word_count: number | null;
  transcript_text: string | null;
  error_message: string | null;
  completed_at: Date | null;
  cues: CaptionCue[];
}

async function liveVideo(db: Kysely<Database>, videoId: number) {
  const video = await db
    .selectFrom('videos')
    .select(['id', 'slug'])
    .where('id', '=', videoId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!video) throw videoNotFound(videoId);
  return video;
}

/** The cues of a stored captions file; none when it is missing or cannot be read. */
export async function readCaptionCues(paths: DataPaths, slug: string): Promise<CaptionCue[]> {
  const bytes = await fs.readFile(captionsPath(paths, slug)).catch(() => undefined);
  if (!bytes) return [];
  try {
    return parseCaptions(decodeCaptionBytes(bytes).text).cues;
  } catch {
    return [];
  }
}

/** The transcription row and cues of a video. */
export async function getTranscript(
  db: Kysely<Database>,
  paths: DataPaths,
  videoId: number,
): Promise<TranscriptState> {
  const video = await liveVideo(db, videoId);
  const row = await db
    .selectFrom('transcriptions')
    .selectAll()
    .where('video_id', '=', videoId)
    .executeTakeFirst();
  return {
    video_id: videoId,
    status: row?.status ?? 'none',
    language: row?.language ?? null,
    word_count: row?.word_count ?? null,
    transcript_text: row?.transcript_text ?? null,
    error_message: row?.error_message ?? null,
    completed_at: row?.completed_at ?? null,
    cues: row ? await readCaptionCues(paths, video.slug) : [],
  };
}

async function writeAtomically(target: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${randomUUID()}.tmp`;
  await fs.writeFile(temporary, text, 'utf8');
  await fs.rename(temporary, target);
}

/**
 * Stores cues as the video's captions: captions.vtt (UTF-8) and the transcriptions row marked
 * completed with the transcript's text and word count. Replaces earlier captions.
 */
export async function saveCaptions(
  db: Kysely<Database>,
  paths: DataPaths,
  videoId: number,
  input: { cues: CaptionCue[]; language?: string | undefined },
): Promise<TranscriptState> {
  const video = await liveVideo(db, videoId);
  checkCues(input.cues);
  if (input.cues.length > maxCaptionCues) {
    throw new LibraryError(
      'VALIDATION_FAILED',
      `Captions may have at most ${maxCaptionCues} cues; these have ${input.cues.length}.`,
    );
  }
  await writeAtomically(captionsPath(paths, video.slug), cuesToVtt(input.cues));
  const text = transcriptText(input.cues);
  const now = new Date();
  const values = {
    status: 'completed',
    transcript_text: text,
    word_count: countWords(text),
    vtt_path: captionsVttPathColumn(video.slug),
    completed_at: now,
    error_message: null,
    ...(input.language && { language: input.language }),
  };
  await db
    .insertInto('transcriptions')
    .values({ video_id: videoId, started_at: now, ...values })
    .onConflict((oc) => oc.column('video_id').doUpdateSet(values))
    .execute();
  return getTranscript(db, paths, videoId);
}

/** Reads an uploaded .vtt or .srt file in any common encoding and stores it as the captions. */
export async function importCaptionFile(
  db: Kysely<Database>,
  paths: DataPaths,
  videoId: number,
  file: { bytes: Uint8Array; language?: string | undefined },
): Promise<{ transcript: TranscriptState; encoding: CaptionEncoding; format: 'vtt' | 'srt' }> {
  await liveVideo(db, videoId);
  if (file.bytes.length === 0) {
    throw new LibraryError('VALIDATION_FAILED', 'The caption file is empty.');
  }
  const { text, encoding } = decodeCaptionBytes(file.bytes);
  const { cues, format } = parseCaptions(text);
  const transcript = await saveCaptions(db, paths, videoId, { cues, language: file.language });
  return { transcript, encoding, format };
}

/** Removes a video's captions: the file and the transcriptions row. */
export async function deleteCaptions(
  db: Kysely<Database>,
  paths: DataPaths,
  videoId: number,
): Promise<void> {
  const video = await liveVideo(db, videoId);
  await db.deleteFrom('transcriptions').where('video_id', '=', videoId).execute();
  await fs.rm(captionsPath(paths, video.slug), { force: true });
}

/** The captions a viewer is offered: a completed transcript whose file exists. */
export async function publicCaptions(
  db: Kysely<Database>,
  paths: DataPaths,
  video: { id: number; slug: string },
): Promise<{ language: string } | null> {
  const row = await db
    .selectFrom('transcriptions')
    .select(['status', 'language', 'word_count'])
    .where('video_id', '=', video.id)
    .executeTakeFirst();
  if (row?.status !== 'completed' || row.word_count === 0) return null;
  const exists = await fs
    .access(captionsPath(paths, video.slug))
    .then(() => true)
    .catch(() => false);
  return exists ? { language: row.language ?? 'en' } : null;
}
