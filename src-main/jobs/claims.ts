import { sql, type Kysely } from 'kysely';
import type { Database, QualityStatus } from '../../db/schema';

type Db = Kysely<Database>;

/** The message stored when a job's lease ran out without a word from its worker. */
export const LEASE_EXPIRED_MESSAGE =
  'The worker processing this video stopped responding before it finished.';

/** A job a worker now holds the lease on, with what it needs to start work. */
export interface ClaimedTranscodingJob {
  jobId: number;
  videoId: number;
  slug: string;
  title: string;
  attemptNumber: number;
  maxAttempts: number;
  workerId: string;
}

export interface ClaimOptions {
  workerId: string;
  workerName: string;
  leaseSeconds: number;
}

/** What a failed attempt led to: another attempt later, or the video marked failed. */
export type FailOutcome =
  | { outcome: 'retrying'; attemptNumber: number; maxAttempts: number }
  | { outcome: 'failed'; attemptNumber: number; maxAttempts: number }
  | { outcome: 'lost' };

export interface QualityProgressUpdate {
  quality: string;
  status: QualityStatus;
  progressPercent: number;
  segmentsTotal?: number | null;
  segmentsCompleted?: number | null;
  errorMessage?: string | null;
}

interface CandidateRow {
  id: number;
  video_id: number;
  attempt_number: number | null;
  max_attempts: number | null;
  claim_expires_at: Date | null;
}

const leaseInterval = (seconds: number) =>
  sql<Date>`now() + make_interval(secs => ${Math.max(1, Math.round(seconds))})`;

/** Marks a video failed with a message a person can act on. */
async function failVideo(db: Db, videoId: number, message: string): Promise<void> {
  await db
    .updateTable('videos')
    .set({ status: 'failed', error_message: message })
    .where('id', '=', videoId)
    .where('status', 'in', ['pending', 'processing'])
    .execute();
}

/**
 * Turns a lapsed lease into a new attempt (or a failed video once attempts run out) and frees
 * the job. Returns the attempt number the next claim runs as, or null when the video failed.
 */
async function expireLapsedLease(trx: Db, job: CandidateRow): Promise<number | null> {
  const attempt = (job.attempt_number ?? 1) + 1;
  const maxAttempts = job.max_attempts ?? 3;
  const exhausted = attempt > maxAttempts;
  await trx
    .updateTable('transcoding_jobs')
    .set({
      worker_id: null,
      claim_expires_at: null,
      attempt_number: exhausted ? maxAttempts : attempt,
      last_error: LEASE_EXPIRED_MESSAGE,
    })
    .where('id', '=', job.id)
    .execute();
  if (!exhausted) return attempt;
  await failVideo(
    trx,
    job.video_id,
    `Processing stopped responding ${maxAttempts} times, so it was given up. ` +
      'Check that the machine has enough memory and disk space, then retry.',
  );
  return null;
}

/** Locks the oldest job a worker may take now, skipping rows another transaction holds. */
async function lockNextCandidate(trx: Db): Promise<CandidateRow | undefined> {
  return trx
    .selectFrom('transcoding_jobs as j')
    .innerJoin('videos as v', 'v.id', 'j.video_id')
    .select(['j.id', 'j.video_id', 'j.attempt_number', 'j.max_attempts', 'j.claim_expires_at'])
    .where('j.completed_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('j.claim_expires_at', 'is', null),
        eb('j.claim_expires_at', '<', sql<Date>`now()`),
      ]),
    )
    .where('v.deleted_at', 'is', null)
    .where('v.status', 'in', ['pending', 'processing'])
    .orderBy('j.id')
    .limit(1)
    .forUpdate('j')
    .skipLocked()
    .executeTakeFirst() as Promise<CandidateRow | undefined>;
}

/** Takes the lease on one locked candidate and marks its video as processing. */
async function takeLease(
  trx: Db,
  job: CandidateRow,
  attemptNumber: number,
  options: ClaimOptions,
): Promise<ClaimedTranscodingJob> {
  await trx
    .updateTable('transcoding_jobs')
    .set({
      worker_id: options.workerId,
      claimed_at: sql<Date>`now()`,
      claim_expires_at: leaseInterval(options.leaseSeconds),
      started_at: sql<Date>`coalesce(started_at, now())`,
      attempt_number: attemptNumber,
      last_checkpoint: sql<Date>`now()`,
    })
    .where('id', '=', job.id)
    .execute();
  const video = await trx
    .updateTable('videos')
    .set({ status: 'processing', error_message: null })
    .where('id', '=', job.video_id)
    .returning(['slug', 'title'])
    .executeTakeFirstOrThrow();
  return {
    jobId: job.id,
    videoId: job.video_id,
    slug: video.slug,
    title: video.title,
    attemptNumber,
    maxAttempts: job.max_attempts ?? 3,
    workerId: options.workerId,
  };
}

/**
 * Claims the oldest transcoding job no live lease holds, in one transaction using
 * FOR UPDATE SKIP LOCKED so concurrent workers never take the same job. A job whose lease
 * lapsed runs as a new attempt; one past its last attempt fails its video and is skipped.
 */
export async function claimNextTranscodingJob(
  db: Db,
  options: ClaimOptions,
): Promise<ClaimedTranscodingJob | null> {
  // A few rounds, because each exhausted job found on the way is failed and skipped.
  for (let round = 0; round < 5; round++) {
    const result = await db.transaction().execute(async (trx) => {
      const job = await lockNextCandidate(trx);
      if (!job) return null;
      const lapsed = job.claim_expires_at !== null;
      const attempt = lapsed ? await expireLapsedLease(trx, job) : (job.attempt_number ?? 1);
      if (attempt === null) return 'exhausted' as const;
      return takeLease(trx, job, attempt, options);
    });
    if (result !== 'exhausted') return result;
  }
  return null;
}

/**
 * Extends the lease of a job this worker holds. False means the lease is lost (another
 * worker took it, the job was released or the video left processing): the worker must stop.
 */
export async function extendLease(
  db: Db,
  jobId: number,
  workerId: string,
  leaseSeconds = 60,
): Promise<boolean> {
  const result = await db
    .updateTable('transcoding_jobs')
    .set({ claim_expires_at: leaseInterval(leaseSeconds) })
    .where('id', '=', jobId)
    .where('worker_id', '=', workerId)
    .where('completed_at', 'is', null)
    .where('claim_expires_at', 'is not', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('videos')
          .select('videos.id')
          .whereRef('videos.id', '=', 'transcoding_jobs.video_id')
          .where('videos.status', '=', 'processing')
          .where('videos.deleted_at', 'is', null),
      ),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records the step a job is in and its overall percent; false when the lease is lost. */
export async function recordStep(
  db: Db,
  jobId: number,
  workerId: string,
  step: string,
  progressPercent: number,
): Promise<boolean> {
  const result = await db
    .updateTable('transcoding_jobs')
    .set({
      current_step: step,
      progress_percent: Math.max(0, Math.min(100, Math.round(progressPercent))),
      last_checkpoint: sql<Date>`now()`,
    })
    .where('id', '=', jobId)
    .where('worker_id', '=', workerId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Writes the one quality_progress row of a rendition (unique per job and quality). */
export async function recordQualityProgress(
  db: Db,
  jobId: number,
  update: QualityProgressUpdate,
): Promise<void> {
  const percent = Math.max(0, Math.min(100, Math.round(update.progressPercent)));
  const startedAt =
    update.status === 'pending' ? null : sql<Date>`coalesce(quality_progress.started_at, now())`;
  const completedAt = update.status === 'completed' ? sql<Date>`now()` : null;
  const row = {
    job_id: jobId,
    quality: update.quality,
    status: update.status,
    progress_percent: percent,
    segments_total: update.segmentsTotal ?? null,
    segments_completed: update.segmentsCompleted ?? 0,
    error_message: update.errorMessage ?? null,
  };
  await db
    .insertInto('quality_progress')
    .values({
      ...row,
      started_at: update.status === 'pending' ? null : sql<Date>`now()`,
      completed_at: completedAt,
    })
    .onConflict((oc) =>
      oc.columns(['job_id', 'quality']).doUpdateSet({
        ...row,
        // Segment counts are written only by who knows them (a resume, a finished rendition).
        segments_total:
          update.segmentsTotal === undefined
            ? sql`quality_progress.segments_total`
            : update.segmentsTotal,
        segments_completed:
          update.segmentsCompleted === undefined
            ? sql`quality_progress.segments_completed`
            : update.segmentsCompleted,
        started_at: startedAt,
        completed_at: completedAt,
      }),
    )
    .execute();
}

/** Removes quality_progress rows of renditions no longer in the job's ladder. */
export async function pruneQualityProgress(
  db: Db,
  jobId: number,
  keepQualities: string[],
): Promise<void> {
  let query = db.deleteFrom('quality_progress').where('job_id', '=', jobId);
  if (keepQualities.length > 0) query = query.where('quality', 'not in', keepQualities);
  await query.execute();
}

/**
 * Marks a job done by this worker and ends its lease. Pass a transaction to make it commit
 * together with the video's finalize writes. False when the lease was lost meanwhile.
 */
export async function completeJob(
  db: Db,
  jobId: number,
  worker: { workerId: string; workerName: string },
): Promise<boolean> {
  const result = await db
    .updateTable('transcoding_jobs')
    .set({
      completed_at: sql<Date>`now()`,
      current_step: 'finalize',
      progress_percent: 100,
      last_checkpoint: sql<Date>`now()`,
      claim_expires_at: null,
      last_error: null,
      processed_by_worker_id: worker.workerId,
      processed_by_worker_name: worker.workerName.slice(0, 100),
    })
    .where('id', '=', jobId)
    .where('worker_id', '=', worker.workerId)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records a failed attempt. A non-retryable failure (the source itself is unusable) fails
 * the video at once; a retryable one frees the job for another attempt until max_attempts.
 * With workerId, only the lease holder may fail the job ('lost' otherwise).
 */
export async function failJob(
  db: Db,
  jobId: number,
  failure: { message: string; retryable: boolean; workerId?: string },
): Promise<FailOutcome> {
  return db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('transcoding_jobs')
      .select(['id', 'video_id', 'attempt_number', 'max_attempts'])
      .where('id', '=', jobId)
      .where('completed_at', 'is', null);
    if (failure.workerId) query = query.where('worker_id', '=', failure.workerId);
    const job = await query.forUpdate().executeTakeFirst();
    if (!job || job.video_id === null) return { outcome: 'lost' as const };

    const attemptNumber = job.attempt_number ?? 1;
    const maxAttempts = job.max_attempts ?? 3;
    const final = !failure.retryable || attemptNumber >= maxAttempts;
    await trx
      .updateTable('transcoding_jobs')
      .set({
        worker_id: null,
        claim_expires_at: null,
        last_error: failure.message,
        attempt_number: final ? attemptNumber : attemptNumber + 1,
        last_checkpoint: sql<Date>`now()`,
      })
      .where('id', '=', jobId)
      .execute();
    if (final) {
      await failVideo(trx, job.video_id, failure.message);
      return { outcome: 'failed' as const, attemptNumber, maxAttempts };
    }
    await trx
      .updateTable('videos')
      .set({ status: 'pending' })
      .where('id', '=', job.video_id)
      .where('status', '=', 'processing')
      .execute();
    return { outcome: 'retrying' as const, attemptNumber: attemptNumber + 1, maxAttempts };
  });
}

/**
 * Gives a job back without counting an attempt, for a clean shutdown: the next start
 * claims it again at once and resumes from the renditions already finished.
 */
export async function releaseClaim(db: Db, jobId: number, workerId: string): Promise<boolean> {
  const result = await db
    .updateTable('transcoding_jobs')
    .set({ worker_id: null, claim_expires_at: null })
    .where('id', '=', jobId)
    .where('worker_id', '=', workerId)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Frees every unfinished job whose lease has lapsed (the maintenance loop), counting a new
 * attempt for each and failing videos out of attempts. With workerId, frees that worker's
 * claims whatever their expiry: used at start, when the previous run of this worker died.
 */
export async function resetExpiredClaims(
  db: Db,
  options: { workerId?: string } = {},
): Promise<{ released: number; failedVideoIds: number[] }> {
  return db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('transcoding_jobs')
      .select(['id', 'video_id', 'attempt_number', 'max_attempts', 'claim_expires_at'])
      .where('completed_at', 'is', null)
      .where('claim_expires_at', 'is not', null);
    query = options.workerId
      ? query.where('worker_id', '=', options.workerId)
      : query.where('claim_expires_at', '<', sql<Date>`now()`);
    const lapsed = await query.forUpdate().skipLocked().execute();

    const failedVideoIds: number[] = [];
    for (const job of lapsed) {
      if (job.video_id === null) continue;
      const row: CandidateRow = { ...job, video_id: job.video_id };
      const attempt = await expireLapsedLease(trx, row);
      if (attempt === null) failedVideoIds.push(job.video_id);
    }
    return { released: lapsed.length, failedVideoIds };
  });
}
