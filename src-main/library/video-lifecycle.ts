import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import { LibraryError, videoNotFound } from './errors';
import type { DataPaths } from './paths';
import { moveOutputFromArchive, moveOutputToArchive, removeAllVideoFiles } from './video-files';
import { toVideoStatus, type VideoStatus } from './videos';

interface LockedVideo {
  id: number;
  slug: string;
  status: VideoStatus;
  deletedAt: Date | null;
}

async function lockVideo(tx: Transaction<Database>, videoId: number): Promise<LockedVideo> {
  const row = await tx
    .selectFrom('videos')
    .select(['id', 'slug', 'status', 'deleted_at'])
    .where('id', '=', videoId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw videoNotFound(videoId);
  return {
    id: row.id,
    slug: row.slug,
    status: toVideoStatus(row.status),
    deletedAt: row.deleted_at,
  };
}

function invalidState(videoId: number, message: string, status: VideoStatus): LibraryError {
  return new LibraryError('INVALID_STATE', message, { videoId, status });
}

/** Soft-deletes a video: sets deleted_at and moves its output to archive/{slug}. */
export function archiveVideo(db: Kysely<Database>, paths: DataPaths, videoId: number) {
  return db.transaction().execute(async (tx) => {
    const video = await lockVideo(tx, videoId);
    if (video.deletedAt) {
      throw invalidState(videoId, 'This video is already archived.', video.status);
    }
    await tx
      .updateTable('videos')
      .set({ deleted_at: sql<Date>`now()` })
      .where('id', '=', videoId)
      .execute();
    // Moved inside the transaction: if the move fails, the video stays live and whole.
    await moveOutputToArchive(paths, video.slug);
    return { id: video.id, slug: video.slug };
  });
}

/** Brings an archived video back: clears deleted_at and moves its output back to videos/. */
export function restoreVideo(db: Kysely<Database>, paths: DataPaths, videoId: number) {
  return db.transaction().execute(async (tx) => {
    const video = await lockVideo(tx, videoId);
    if (!video.deletedAt) throw invalidState(videoId, 'This video is not archived.', video.status);
    await tx.updateTable('videos').set({ deleted_at: null }).where('id', '=', videoId).execute();
    await moveOutputFromArchive(paths, video.slug);
    return { id: video.id, slug: video.slug };
  });
}

/** Removes a video for good: its rows (the schema cascades) and every file it owns. */
export async function deleteVideoPermanently(
  db: Kysely<Database>,
  paths: DataPaths,
  videoId: number,
): Promise<{ id: number; slug: string }> {
  const video = await db
    .deleteFrom('videos')
    .where('id', '=', videoId)
    .returning(['id', 'slug'])
    .executeTakeFirst();
  if (!video) throw videoNotFound(videoId);
  await removeAllVideoFiles(paths, video);
  return video;
}

async function resetJob(tx: Transaction<Database>, videoId: number, fresh: boolean) {
  const reset = {
    worker_id: null,
    current_step: null,
    progress_percent: 0,
    started_at: null,
    last_checkpoint: null,
    completed_at: null,
    claimed_at: null,
    claim_expires_at: null,
    attempt_number: 1,
    last_error: null,
  };
  const job = await tx
    .updateTable('transcoding_jobs')
    .set(reset)
    .where('video_id', '=', videoId)
    .returning('id')
    .executeTakeFirst();
  if (!job) {
    await tx.insertInto('transcoding_jobs').values({ video_id: videoId }).execute();
    return;
  }
  if (fresh) await tx.deleteFrom('quality_progress').where('job_id', '=', job.id).execute();
}

async function markPending(tx: Transaction<Database>, videoId: number): Promise<void> {
  await tx
    .updateTable('videos')
    .set({ status: 'pending', error_message: null })
    .where('id', '=', videoId)
    .execute();
}

/** Gives a failed video a fresh set of attempts; renditions already made are kept. */
export function retryVideo(db: Kysely<Database>, videoId: number) {
  return db.transaction().execute(async (tx) => {
    const video = await lockVideo(tx, videoId);
    if (video.deletedAt) throw invalidState(videoId, 'Restore this video first.', video.status);
    if (video.status !== 'failed') {
      throw invalidState(
        videoId,
        `Only a failed video can be retried (it is ${video.status}).`,
        video.status,
      );
    }
    await resetJob(tx, videoId, false);
    await markPending(tx, videoId);
    return { id: video.id, slug: video.slug, status: 'pending' as const };
  });
}

/**
 * Transcodes a finished (or failed) video again from its kept source (after `prepare`, which
 * may replace the source or change the target format). Its published output stays online until the new one replaces it.
 */
export function retranscodeVideo(
  db: Kysely<Database>,
  videoId: number,
  options: { prepare?: (tx: Transaction<Database>) => Promise<void> } = {},
) {
  return db.transaction().execute(async (tx) => {
    const video = await lockVideo(tx, videoId);
    if (video.deletedAt) throw invalidState(videoId, 'Restore this video first.', video.status);
    if (video.status === 'pending' || video.status === 'processing') {
      throw invalidState(
        videoId,
        'This video is already waiting for or being transcoded.',
        video.status,
      );
    }
    // Under the row lock: no worker can claim the job until the new source or format is set.
    await options.prepare?.(tx);
    await resetJob(tx, videoId, true);
    await markPending(tx, videoId);
    return { id: video.id, slug: video.slug, status: 'pending' as const };
  });
}
