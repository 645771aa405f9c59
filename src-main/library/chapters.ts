import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import { LibraryError, videoNotFound } from './errors';

/** The most chapters one video may have. */
export const maxChaptersPerVideo = 50;

/** One chapter of a video, in display order. */
export interface ChapterRow {
  id: number;
  video_id: number;
  title: string;
  description: string | null;
  start_time: number;
  end_time: number | null;
  position: number;
  created_at: Date;
  updated_at: Date | null;
}

/** What a creator sends to add a chapter. */
export interface ChapterInput {
  title: string;
  description?: string | null | undefined;
  start_time: number;
  end_time?: number | null | undefined;
  /** Where in the list; by default the chapter goes after those starting before it. */
  position?: number | undefined;
}

export type ChapterChanges = Partial<Omit<ChapterInput, 'position'>>;

type Db = Kysely<Database> | Transaction<Database>;

function invalid(message: string, context: Record<string, unknown> = {}): LibraryError {
  return new LibraryError('VALIDATION_FAILED', message, context);
}

function chapterNotFound(videoId: number, chapterId: number): LibraryError {
  return new LibraryError('NOT_FOUND', `Video ${videoId} has no chapter with id ${chapterId}.`, {
    videoId,
    chapterId,
  });
}

/** Seconds as "1:02:03.5" for messages. */
function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = seconds - h * 3600 - m * 60;
  const ss = s.toFixed(s % 1 === 0 ? 0 : 1).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Checks the schema's rules on one chapter's times against the video's duration. */
export function checkChapterTimes(
  chapter: { start_time: number; end_time: number | null },
  durationSeconds: number,
): void {
  const { start_time: start, end_time: end } = chapter;
  if (!Number.isFinite(start) || start < 0) {
    throw invalid('A chapter must start at 0 seconds or later.', { start });
  }
  if (end !== null && (!Number.isFinite(end) || end <= start)) {
    throw invalid(`A chapter's end (${clock(end)}) must come after its start (${clock(start)}).`, {
      start,
      end,
    });
  }
  // A video still being probed has no duration yet; its chapters are checked once it has one.
  if (durationSeconds <= 0) return;
  if (start >= durationSeconds) {
    throw invalid(
      `A chapter must start within the video: ${clock(start)} is at or past its end ` +
        `(${clock(durationSeconds)}).`,
      { start, durationSeconds },
    );
  }
  if (end !== null && end > durationSeconds + 0.05) {
    throw invalid(
      `A chapter must end within the video: ${clock(end)} is past its end ` +
        `(${clock(durationSeconds)}).`,
      { end, durationSeconds },
    );
  }
}

function checkTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed.length === 0) throw invalid('Give the chapter a title.');
  if (trimmed.length > 255) throw invalid('A chapter title has at most 255 characters.');
  return trimmed;
}

/** Locks the video's row for the transaction, so chapter edits of one video run one at a time. */
async function lockVideo(trx: Transaction<Database>, videoId: number): Promise<number> {
  const video = await trx
    .selectFrom('videos')
    .select(['id', 'duration'])
    .where('id', '=', videoId)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!video) throw videoNotFound(videoId);
  return video.duration ?? 0;
}

function toChapter(row: {
  id: number;
  video_id: number | null;
  title: string;
  description: string | null;
  start_time: number;
  end_time: number | null;
  position: number | null;
  created_at: Date;
  updated_at: Date | null;
}): ChapterRow {
  return { ...row, video_id: row.video_id ?? 0, position: row.position ?? 0 };
}

async function selectChapters(db: Db, videoId: number): Promise<ChapterRow[]> {
  const rows = await db
    .selectFrom('chapters')
    .selectAll()
    .where('video_id', '=', videoId)
    .orderBy('position')
    .orderBy('start_time')
    .orderBy('id')
    .execute();
  return rows.map(toChapter);
}

/** The chapters of a video in display order; the video must exist and not be archived. */
export async function listChapters(db: Kysely<Database>, videoId: number): Promise<ChapterRow[]> {
  const video = await db
    .selectFrom('videos')
    .select('id')
    .where('id', '=', videoId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!video) throw videoNotFound(videoId);
  return selectChapters(db, videoId);
}

/** The chapters of a video for its viewers, without the studio's checks. */
export function chaptersOfVideo(db: Kysely<Database>, videoId: number): Promise<ChapterRow[]> {
  return selectChapters(db, videoId);
}

/**
 * Writes positions 0..n-1 in the given order. The (video_id, position) constraint is checked
 * row by row, so every chapter first moves out of the way to a position no other one holds.
 */
async function writePositions(
  trx: Transaction<Database>,
  videoId: number,
  orderedIds: number[],
): Promise<void> {
  const offset = 100_000;
  await trx
    .updateTable('chapters')
    .set({ position: sql<number>`coalesce(position, 0) + ${offset}` })
    .where('video_id', '=', videoId)
    .execute();
  for (const [index, id] of orderedIds.entries()) {
    await trx.updateTable('chapters').set({ position: index }).where('id', '=', id).execute();
  }
}

/** Keeps videos.has_chapters true exactly when the video has chapters. */
async function syncHasChapters(trx: Transaction<Database>, videoId: number): Promise<void> {
  await trx
    .updateTable('videos')
    .set({
      has_chapters: sql<boolean>`exists (select 1 from chapters where video_id = ${videoId})`,
    })
    .where('id', '=', videoId)
    .execute();
}

function defaultIndex(chapters: ChapterRow[], startTime: number): number {
  const after = chapters.findIndex((c) => c.start_time > startTime);
  return after === -1 ? chapters.length : after;
}

async function insertChapters(
  trx: Transaction<Database>,
  videoId: number,
  inputs: ChapterInput[],
): Promise<ChapterRow[]> {
  const duration = await lockVideo(trx, videoId);
  const ordered = await selectChapters(trx, videoId);
  if (ordered.length + inputs.length > maxChaptersPerVideo) {
    throw new LibraryError(
      'CONFLICT',
      `A video can have at most ${maxChaptersPerVideo} chapters; this one has ` +
        `${ordered.length}. Delete some before adding more.`,
      { videoId, count: ordered.length },
    );
  }
  const added: ChapterRow[] = [];
  for (const input of inputs) {
    const times = { start_time: input.start_time, end_time: input.end_time ?? null };
    checkChapterTimes(times, duration);
    const row = await trx
      .insertInto('chapters')
      .values({
        video_id: videoId,
        title: checkTitle(input.title),
        description: input.description?.trim() || null,
        ...times,
        position: -1 - added.length,
        created_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const chapter = toChapter(row);
    const index = input.position ?? defaultIndex(ordered, chapter.start_time);
    ordered.splice(Math.max(0, Math.min(index, ordered.length)), 0, chapter);
    added.push(chapter);
  }
  await writePositions(
    trx,
    videoId,
    ordered.map((c) => c.id),
  );
  await syncHasChapters(trx, videoId);
  return added;
}

/** Adds one chapter; it goes after the chapters that start before it unless a position is given. */
export async function createChapter(
  db: Kysely<Database>,
  videoId: number,
  input: ChapterInput,
): Promise<ChapterRow> {
  const [added] = await db.transaction().execute((trx) => insertChapters(trx, videoId, [input]));
  return (await getChapter(db, videoId, added!.id))!;
}

async function getChapter(
  db: Db,
  videoId: number,
  chapterId: number,
): Promise<ChapterRow | undefined> {
  const row = await db
    .selectFrom('chapters')
    .selectAll()
    .where('video_id', '=', videoId)
    .where('id', '=', chapterId)
    .executeTakeFirst();
  return row && toChapter(row);
}

/** Changes a chapter's title, description or times; the rules are checked on the result. */
export async function updateChapter(
  db: Kysely<Database>,
  videoId: number,
  chapterId: number,
  changes: ChapterChanges,
): Promise<ChapterRow> {
  return db.transaction().execute(async (trx) => {
    const duration = await lockVideo(trx, videoId);
    const current = await getChapter(trx, videoId, chapterId);
    if (!current) throw chapterNotFound(videoId, chapterId);
    const times = {
      start_time: changes.start_time ?? current.start_time,
      end_time: changes.end_time === undefined ? current.end_time : changes.end_time,
    };
    checkChapterTimes(times, duration);
    const row = await trx
      .updateTable('chapters')
      .set({
        ...times,
        ...(changes.title !== undefined && { title: checkTitle(changes.title) }),
        ...(changes.description !== undefined && {
          description: changes.description?.trim() || null,
        }),
        updated_at: new Date(),
      })
      .where('id', '=', chapterId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toChapter(row);
  });
}

/** Removes a chapter and closes the gap it leaves in the order. */
export async function deleteChapter(
  db: Kysely<Database>,
  videoId: number,
  chapterId: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockVideo(trx, videoId);
    const removed = await trx
      .deleteFrom('chapters')
      .where('video_id', '=', videoId)
      .where('id', '=', chapterId)
      .executeTakeFirst();
    if (removed.numDeletedRows === 0n) throw chapterNotFound(videoId, chapterId);
    const rest = await selectChapters(trx, videoId);
    await writePositions(
      trx,
      videoId,
      rest.map((c) => c.id),
    );
    await syncHasChapters(trx, videoId);
  });
}

/** Puts the chapters in the given order; the list must name every chapter of the video once. */
export async function reorderChapters(
  db: Kysely<Database>,
  videoId: number,
  chapterIds: number[],
): Promise<ChapterRow[]> {
  return db.transaction().execute(async (trx) => {
    await lockVideo(trx, videoId);
    const current = await selectChapters(trx, videoId);
    const known = new Set(current.map((c) => c.id));
    const given = new Set(chapterIds);
    const sameSet =
      given.size === chapterIds.length &&
      given.size === known.size &&
      chapterIds.every((id) => known.has(id));
    if (!sameSet) {
      throw invalid(
        `Send every chapter id of video ${videoId} exactly once, in the new order ` +
          `(it has ${current.length}: ${current.map((c) => c.id).join(', ') || 'none'}).`,
        { videoId, chapterIds },
      );
    }
    await writePositions(trx, videoId, chapterIds);
    return selectChapters(trx, videoId);
  });
}

/** Replaces all chapters of a video with new ones (auto-detect), in one transaction. */
export async function replaceChapters(
  db: Kysely<Database>,
  videoId: number,
  inputs: ChapterInput[],
): Promise<ChapterRow[]> {
  await db.transaction().execute(async (trx) => {
    await lockVideo(trx, videoId);
    await trx.deleteFrom('chapters').where('video_id', '=', videoId).execute();
    await insertChapters(trx, videoId, inputs);
  });
  return selectChapters(db, videoId);
}
