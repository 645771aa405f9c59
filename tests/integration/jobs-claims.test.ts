import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema';
import {
  claimNextTranscodingJob,
  completeJob,
  extendLease,
  failJob,
  recordQualityProgress,
  releaseClaim,
  resetExpiredClaims,
} from '../../src-main/jobs/claims';
import { createTestDatabase } from '../support/database';

let db: Kysely<Database>;
let drop: () => Promise<void>;
let serial = 0;

beforeAll(async () => {
  const created = await createTestDatabase('jobs_claims');
  db = created.db;
  drop = created.drop;
});

afterAll(async () => {
  await drop?.();
});

beforeEach(async () => {
  await db.deleteFrom('videos').execute();
});

/** A pending video with its transcoding job, as an upload leaves them. */
async function uploadedVideo(jobValues: { max_attempts?: number } = {}) {
  serial += 1;
  const video = await db
    .insertInto('videos')
    .values({ title: `Clip ${serial}`, slug: `clip-${serial}`, status: 'pending' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const job = await db
    .insertInto('transcoding_jobs')
    .values({ video_id: video.id, ...jobValues })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { videoId: video.id, jobId: job.id };
}

const worker = (name: string) => ({
  workerId: `00000000-0000-4000-8000-${name.padStart(12, '0')}`,
  workerName: `worker ${name}`,
  leaseSeconds: 60,
});

async function expireLease(jobId: number) {
  await db
    .updateTable('transcoding_jobs')
    .set({ claim_expires_at: sql<Date>`now() - interval '5 seconds'` })
    .where('id', '=', jobId)
    .execute();
}

const jobRow = (jobId: number) =>
  db.selectFrom('transcoding_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
const videoRow = (videoId: number) =>
  db.selectFrom('videos').selectAll().where('id', '=', videoId).executeTakeFirstOrThrow();

describe('claiming transcoding jobs', () => {
  it('gives one job to exactly one of two concurrent claimers', async () => {
    const { jobId, videoId } = await uploadedVideo();
    const [a, b] = await Promise.all([
      claimNextTranscodingJob(db, worker('1')),
      claimNextTranscodingJob(db, worker('2')),
    ]);
    const winners = [a, b].filter((claim) => claim !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ jobId, videoId, attemptNumber: 1 });

    const job = await jobRow(jobId);
    expect(job.worker_id).toBe(winners[0]?.workerId);
    expect(job.claimed_at).not.toBeNull();
    expect(job.started_at).not.toBeNull();
    expect(job.claim_expires_at!.getTime()).toBeGreaterThan(job.claimed_at!.getTime() + 50_000);
    expect((await videoRow(videoId)).status).toBe('processing');
  });

  it('spreads several jobs over many concurrent claimers without a double claim', async () => {
    const jobs = await Promise.all([uploadedVideo(), uploadedVideo(), uploadedVideo()]);
    const claims = await Promise.all(
      ['1', '2', '3', '4', '5', '6'].map((n) => claimNextTranscodingJob(db, worker(n))),
    );
    const claimedIds = claims.flatMap((claim) => (claim ? [claim.jobId] : []));
    expect(claimedIds.sort()).toEqual(jobs.map((j) => j.jobId).sort());
  });

  it('takes the oldest job first and skips deleted and finished videos', async () => {
    const deleted = await uploadedVideo();
    await db
      .updateTable('videos')
      .set({ deleted_at: new Date() })
      .where('id', '=', deleted.videoId)
      .execute();
    const ready = await uploadedVideo();
    await db
      .updateTable('videos')
      .set({ status: 'ready' })
      .where('id', '=', ready.videoId)
      .execute();
    const first = await uploadedVideo();
    await uploadedVideo();

    const claim = await claimNextTranscodingJob(db, worker('1'));
    expect(claim?.jobId).toBe(first.jobId);
  });

  it('does not hand out a job whose lease is still running', async () => {
    await uploadedVideo();
    expect(await claimNextTranscodingJob(db, worker('1'))).not.toBeNull();
    expect(await claimNextTranscodingJob(db, worker('2'))).toBeNull();
  });
});

describe('leases', () => {
  it('reclaims an expired lease as a new attempt and the old holder loses it', async () => {
    const { jobId } = await uploadedVideo();
    const first = await claimNextTranscodingJob(db, worker('1'));
    expect(await extendLease(db, jobId, first!.workerId)).toBe(true);
    await expireLease(jobId);

    const second = await claimNextTranscodingJob(db, worker('2'));
    expect(second).toMatchObject({ jobId, attemptNumber: 2 });
    expect(await extendLease(db, jobId, first!.workerId)).toBe(false);
    expect(await extendLease(db, jobId, second!.workerId)).toBe(true);
    const job = await jobRow(jobId);
    expect(job.attempt_number).toBe(2);
    expect(job.worker_id).toBe(second!.workerId);
  });

  it('fails the video once an expired lease would exceed max_attempts', async () => {
    const { jobId, videoId } = await uploadedVideo({ max_attempts: 2 });
    await claimNextTranscodingJob(db, worker('1'));
    await expireLease(jobId);
    expect((await claimNextTranscodingJob(db, worker('2')))?.attemptNumber).toBe(2);
    await expireLease(jobId);

    expect(await claimNextTranscodingJob(db, worker('3'))).toBeNull();
    const video = await videoRow(videoId);
    expect(video.status).toBe('failed');
    expect(video.error_message).toMatch(/stopped responding 2 times/);
    const job = await jobRow(jobId);
    expect(job.worker_id).toBeNull();
    expect(job.last_error).toMatch(/stopped responding/);
  });

  it('frees lapsed claims in the maintenance pass, and a worker frees its own at start', async () => {
    const lapsed = await uploadedVideo();
    const own = await uploadedVideo();
    await claimNextTranscodingJob(db, worker('1'));
    await claimNextTranscodingJob(db, worker('2'));
    await expireLease(lapsed.jobId);

    expect(await resetExpiredClaims(db)).toEqual({ released: 1, failedVideoIds: [] });
    expect(await jobRow(lapsed.jobId)).toMatchObject({ worker_id: null, attempt_number: 2 });
    expect((await jobRow(own.jobId)).worker_id).toBe(worker('2').workerId);

    expect((await resetExpiredClaims(db, { workerId: worker('2').workerId })).released).toBe(1);
    expect(await jobRow(own.jobId)).toMatchObject({ worker_id: null, attempt_number: 2 });
  });

  it('gives a claim back on shutdown without counting an attempt', async () => {
    const { jobId } = await uploadedVideo();
    const claim = await claimNextTranscodingJob(db, worker('1'));
    expect(await releaseClaim(db, jobId, claim!.workerId)).toBe(true);
    const again = await claimNextTranscodingJob(db, worker('2'));
    expect(again).toMatchObject({ jobId, attemptNumber: 1 });
  });
});

describe('failures and completion', () => {
  it('fails the video at once on a non-retryable failure, on attempt 1', async () => {
    const { jobId, videoId } = await uploadedVideo();
    const claim = await claimNextTranscodingJob(db, worker('1'));
    const message = 'This file has no video stream (it may be audio only). Upload a video file.';
    const result = await failJob(db, jobId, {
      message,
      retryable: false,
      workerId: claim!.workerId,
    });
    expect(result).toEqual({ outcome: 'failed', attemptNumber: 1, maxAttempts: 3 });
    expect(await videoRow(videoId)).toMatchObject({ status: 'failed', error_message: message });
    expect(await jobRow(jobId)).toMatchObject({ attempt_number: 1, last_error: message });
    expect(await claimNextTranscodingJob(db, worker('2'))).toBeNull();
  });

  it('retries a retryable failure until max_attempts, then fails the video', async () => {
    const { jobId, videoId } = await uploadedVideo({ max_attempts: 2 });
    const first = await claimNextTranscodingJob(db, worker('1'));
    const retry = await failJob(db, jobId, { message: 'ffmpeg crashed', retryable: true });
    expect(retry).toEqual({ outcome: 'retrying', attemptNumber: 2, maxAttempts: 2 });
    expect((await videoRow(videoId)).status).toBe('pending');
    expect(await extendLease(db, jobId, first!.workerId)).toBe(false);

    const second = await claimNextTranscodingJob(db, worker('2'));
    expect(second?.attemptNumber).toBe(2);
    const final = await failJob(db, jobId, { message: 'ffmpeg crashed again', retryable: true });
    expect(final.outcome).toBe('failed');
    expect(await videoRow(videoId)).toMatchObject({
      status: 'failed',
      error_message: 'ffmpeg crashed again',
    });
  });

  it('lets only the lease holder fail or complete a job', async () => {
    const { jobId } = await uploadedVideo();
    await claimNextTranscodingJob(db, worker('1'));
    const stranger = worker('9');
    expect(await failJob(db, jobId, { message: 'x', retryable: true, ...stranger })).toEqual({
      outcome: 'lost',
    });
    expect(await completeJob(db, jobId, stranger)).toBe(false);
    expect(await completeJob(db, jobId, worker('1'))).toBe(true);
    const job = await jobRow(jobId);
    expect(job.completed_at).not.toBeNull();
    expect(job.processed_by_worker_name).toBe('worker 1');
    expect(await claimNextTranscodingJob(db, worker('2'))).toBeNull();
  });

  it('keeps one quality_progress row per rendition', async () => {
    const { jobId } = await uploadedVideo();
    await recordQualityProgress(db, jobId, {
      quality: '480p',
      status: 'pending',
      progressPercent: 0,
    });
    await recordQualityProgress(db, jobId, {
      quality: '480p',
      status: 'in_progress',
      progressPercent: 40.4,
    });
    await recordQualityProgress(db, jobId, {
      quality: '480p',
      status: 'completed',
      progressPercent: 100,
    });
    const rows = await db
      .selectFrom('quality_progress')
      .selectAll()
      .where('job_id', '=', jobId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ quality: '480p', status: 'completed', progress_percent: 100 });
    expect(rows[0]?.started_at).not.toBeNull();
    expect(rows[0]?.completed_at).not.toBeNull();
  });
});
