import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { pendingSpriteJobsInOrder } from '../library/sprites';
import type { SpritePlan } from '../media/sprites';

type Db = Kysely<Database>;

/** A sprite job this worker took, with what the run needs of its video. */
export interface ClaimedSpriteJob {
  jobId: number;
  videoId: number;
  slug: string;
  priority: string;
}

/**
 * Takes the first pending sprite job (high, normal, low; oldest first) whose video is
 * ready and live. FOR UPDATE SKIP LOCKED keeps two workers from taking the same job.
 * Jobs of videos that were archived or are no longer ready are cancelled on the way.
 */
export async function claimNextSpriteJob(db: Db): Promise<ClaimedSpriteJob | null> {
  return db.transaction().execute(async (trx) => {
    for (;;) {
      const job = await pendingSpriteJobsInOrder(trx)
        .select(['id', 'video_id', 'priority'])
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!job) return null;
      const video = await trx
        .selectFrom('videos')
        .select(['slug', 'status', 'deleted_at'])
        .where('id', '=', job.video_id ?? -1)
        .executeTakeFirst();
      if (!video || video.deleted_at !== null || video.status !== 'ready') {
        await trx
          .updateTable('sprite_queue')
          .set({ status: 'cancelled', completed_at: sql<Date>`now()` })
          .where('id', '=', job.id)
          .execute();
        continue;
      }
      await trx
        .updateTable('sprite_queue')
        .set({ status: 'processing', started_at: sql<Date>`now()`, error_message: null })
        .where('id', '=', job.id)
        .execute();
      await trx
        .updateTable('videos')
        .set({ sprite_sheet_status: 'processing' })
        .where('id', '=', job.video_id ?? -1)
        .execute();
      return {
        jobId: job.id,
        videoId: job.video_id ?? -1,
        slug: video.slug,
        priority: job.priority ?? 'normal',
      };
    }
  });
}

/** Records finished sheets on the job and the video's sprite_sheet_* columns together. */
export async function completeSpriteJob(
  db: Db,
  job: ClaimedSpriteJob,
  plan: SpritePlan,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sprite_queue')
      .set({ status: 'completed', completed_at: sql<Date>`now()`, error_message: null })
      .where('id', '=', job.jobId)
      .execute();
    await trx
      .updateTable('videos')
      .set({
        sprite_sheet_status: 'ready',
        sprite_sheet_error: null,
        sprite_sheet_count: plan.sheetCount,
        sprite_sheet_interval: plan.intervalSeconds,
        sprite_sheet_tile_size: plan.tileSize,
        sprite_sheet_frame_width: plan.frameWidth,
        sprite_sheet_frame_height: plan.frameHeight,
      })
      .where('id', '=', job.videoId)
      .execute();
  });
}

/** Records a failed run; the video keeps no half-made sheets. */
export async function failSpriteJob(db: Db, job: ClaimedSpriteJob, message: string) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sprite_queue')
      .set({ status: 'failed', completed_at: sql<Date>`now()`, error_message: message })
      .where('id', '=', job.jobId)
      .execute();
    await trx
      .updateTable('videos')
      .set({ sprite_sheet_status: 'failed', sprite_sheet_error: message, sprite_sheet_count: 0 })
      .where('id', '=', job.videoId)
      .execute();
  });
}

/** Puts a job back in the queue (the studio stopped while it ran). */
export async function releaseSpriteJob(db: Db, jobId: number): Promise<void> {
  await db
    .updateTable('sprite_queue')
    .set({ status: 'pending', started_at: null })
    .where('id', '=', jobId)
    .where('status', '=', 'processing')
    .execute();
}

/**
 * Frees jobs left 'processing' by a studio that died mid-run. Only the local worker makes
 * sprite sheets, so at its start no run can be live.
 */
export async function resetInterruptedSpriteJobs(db: Db): Promise<number> {
  const rows = await db
    .updateTable('sprite_queue')
    .set({ status: 'pending', started_at: null })
    .where('status', '=', 'processing')
    .returning('id')
    .execute();
  return rows.length;
}
