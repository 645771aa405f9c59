import { stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { publishedDir } from '../library/paths';
import { enqueueSpriteJob } from '../library/sprites';
import type { StudioContext } from '../context';
import type { Logger } from '../log';
import { checkRenditionsAligned } from '../media/alignment';
import { validateRenditionOutput, writeMasterPlaylist, type RenditionOutput } from '../media/hls';
import { planCodecLadder } from '../media/formats';
import { planLadder, type Rendition } from '../media/ladder';
import { probeSource, type SourceInfo } from '../media/probe';
import { makeThumbnail, transcodeLadder } from '../media/transcode';
import { completeJob, failJob, recordQualityProgress, type ClaimedTranscodingJob } from './claims';
import { summarizeFailure } from './errors';
import { JobProgress } from './job-progress';
import { matchesPlan, readVideoFormat } from './video-format';
import { adoptInterruptedRun, ladderRunFingerprint, planResume, writeRunPlan } from './resume-work';
import {
  adoptRendition,
  createAttemptFolder,
  earlierAttemptFolders,
  ensureFreeSpace,
  findSourceFile,
  markRenditionVerified,
  publishAttempt,
  readVerifiedRendition,
  removeAttemptFolder,
  removeWorkFolder,
} from './work-folder';

type JobContext = Pick<StudioContext, 'db' | 'paths' | 'bus' | 'media'>;

/** What became of one run of a transcoding job. */
export type TranscodeOutcome =
  | { outcome: 'ready'; renditions: string[] }
  | { outcome: 'retrying' | 'failed'; code: string; message: string }
  | { outcome: 'cancelled' }
  | { outcome: 'lost' };

export interface TranscodeJobOptions {
  workerName: string;
  log: Logger;
  /** Aborted on shutdown or when the lease is lost: the job stops without failing. */
  signal: AbortSignal;
  /** Where ffmpeg's pid files go, so a later start can reap orphans. */
  pidDir?: string;
}

/** Everything one run carries from step to step. */
interface RunState {
  ctx: JobContext;
  job: ClaimedTranscodingJob;
  options: TranscodeJobOptions;
  log: Logger;
  progress: JobProgress;
  attemptFolder: string;
  sourceFile: string;
  source?: SourceInfo;
  outputs?: RenditionOutput[];
}

/**
 * Runs one claimed job through probe, thumbnail, transcode, master_playlist and finalize,
 * publishing videos/{slug}/ only when every rendition is verified. Expected outcomes are
 * returned; a failure is recorded on the job and the video before returning.
 */
export async function runTranscodeJob(
  ctx: JobContext,
  job: ClaimedTranscodingJob,
  options: TranscodeJobOptions,
): Promise<TranscodeOutcome> {
  const log = options.log.child({ videoId: job.videoId, jobId: job.jobId });
  const progress = new JobProgress({ ...ctx, log, ...job });
  log.info({ attempt: job.attemptNumber, slug: job.slug }, 'transcoding job started');
  ctx.bus.emit('video.status', { videoId: job.videoId, status: 'processing', errorMessage: null });
  try {
    const sourceFile = await findSourceFile(ctx.paths, job.videoId);
    const attemptFolder = await createAttemptFolder(ctx.paths, job.videoId, job.attemptNumber);
    const state: RunState = { ctx, job, options, log, progress, attemptFolder, sourceFile };
    return await runSteps(state);
  } catch (error) {
    return handleFailure(ctx, job, options, { log, progress }, error);
  }
}

async function runSteps(state: RunState): Promise<TranscodeOutcome> {
  // A stop asked for between steps is honoured there; ffmpeg runs stop through the signal.
  const { signal } = state.options;
  for (const step of [stepProbe, stepThumbnail, stepTranscode, stepMasterPlaylist]) {
    signal.throwIfAborted();
    await step(state);
  }
  signal.throwIfAborted();
  return stepFinalize(state);
}

function requireSource(state: RunState): SourceInfo & { video: NonNullable<SourceInfo['video']> } {
  const { source } = state;
  if (!source?.video) throw new Error('the source was not probed before this step');
  return { ...source, video: source.video };
}

async function stepProbe(state: RunState): Promise<void> {
  await state.progress.enterStep('probe');
  const { media } = state.ctx;
  state.source = await probeSource(media, state.sourceFile, {
    log: state.log,
    signal: state.options.signal,
  });
  const video = state.source.video;
  state.log.info(
    { width: video?.width, height: video?.height, duration: state.source.durationSeconds },
    'source probed',
  );
}

async function stepThumbnail(state: RunState): Promise<void> {
  await state.progress.enterStep('thumbnail');
  await makeThumbnail({
    tools: state.ctx.media,
    input: state.sourceFile,
    source: requireSource(state),
    outputPath: path.join(state.attemptFolder, 'thumbnail.jpg'),
    log: state.log,
    signal: state.options.signal,
  });
}

/** Brings into this attempt the renditions an earlier attempt finished and that still verify. */
async function recoverRenditions(
  state: RunState,
  ladder: Rendition[],
): Promise<Map<string, RenditionOutput>> {
  const kept = new Map<string, RenditionOutput>();
  const { paths } = state.ctx;
  const earlier = await earlierAttemptFolders(paths, state.job.videoId, state.attemptFolder);
  for (const rendition of ladder) {
    for (const folder of earlier) {
      const output = await verifiedOutput(state, folder, rendition);
      if (!output) continue;
      await adoptRendition(folder, state.attemptFolder, rendition.name);
      await markRenditionVerified(state.attemptFolder, output);
      kept.set(rendition.name, output);
      state.log.info({ quality: rendition.name }, 'rendition kept from an earlier attempt');
      break;
    }
  }
  // An interrupted run of the renditions still missing keeps its finished segments.
  const missing = ladder.filter((r) => !kept.has(r.name));
  const fingerprint = await ladderRunFingerprint(state.sourceFile, requireSource(state), missing);
  const from = await adoptInterruptedRun({
    earlierFolders: earlier,
    attemptFolder: state.attemptFolder,
    renditionNames: missing.map((r) => r.name),
    fingerprint,
  });
  if (from) state.log.info({ from: path.basename(from) }, 'interrupted ladder run adopted');
  for (const folder of earlier) await removeAttemptFolder(folder);
  return kept;
}

/** An earlier attempt's rendition, if it was marked verified, matches the plan and still validates. */
async function verifiedOutput(
  state: RunState,
  folder: string,
  planned: Rendition,
): Promise<RenditionOutput | undefined> {
  const recorded = (await readVerifiedRendition(folder, planned.name)) as
    RenditionOutput | undefined;
  const { format } = await readVideoFormat(state.ctx.db, state.job.videoId);
  if (!recorded || recorded.width !== planned.width || recorded.height !== planned.height) {
    return undefined;
  }
  if (!matchesPlan(recorded, planned, format)) {
    return undefined;
  }
  try {
    await validateRenditionOutput(path.join(folder, planned.name), {
      expectedDurationSeconds: requireSource(state).durationSeconds,
    });
    return recorded;
  } catch (error) {
    state.log.warn({ quality: planned.name, err: error }, 'earlier rendition failed validation');
    return undefined;
  }
}

async function stepTranscode(state: RunState): Promise<void> {
  const source = requireSource(state);
  const { codec } = await readVideoFormat(state.ctx.db, state.job.videoId);
  const ladder = planCodecLadder(planLadder(source.video), codec);
  const kept = await recoverRenditions(state, ladder);
  await state.progress.planRenditions(
    ladder.map((r) => r.name),
    new Set(kept.keys()),
  );
  await state.progress.enterStep('transcode');

  const missing = ladder.filter((r) => !kept.has(r.name));
  if (missing.length > 0) {
    const sourceBytes = (await stat(state.sourceFile)).size;
    await ensureFreeSpace(state.attemptFolder, sourceBytes);
    const made = await encodeRenditions(state, source, missing);
    for (const output of made) kept.set(output.name, output);
  }
  await state.progress.flush();
  state.outputs = ladder.map((r) => {
    const output = kept.get(r.name);
    if (!output) throw new Error(`rendition ${r.name} was planned but not made`);
    return output;
  });
  // Kept and new renditions together must let a player switch quality at any segment.
  await checkRenditionsAligned(
    state.attemptFolder,
    state.outputs.map((o) => o.playlist),
  );
}

async function encodeRenditions(
  state: RunState,
  source: SourceInfo,
  renditions: Rendition[],
): Promise<RenditionOutput[]> {
  for (const r of renditions) state.progress.updateRendition(r.name, 'in_progress', 0);
  const resume = await planResume(
    {
      db: state.ctx.db,
      log: state.log,
      jobId: state.job.jobId,
      attemptFolder: state.attemptFolder,
      source,
    },
    renditions,
  );
  await writeRunPlan(
    state.attemptFolder,
    await ladderRunFingerprint(state.sourceFile, source, renditions),
  );
  const outputs = await transcodeLadder({
    format: (await readVideoFormat(state.ctx.db, state.job.videoId)).format,
    resume: resume ?? undefined,
    tools: state.ctx.media,
    input: state.sourceFile,
    source,
    renditions,
    outputDir: state.attemptFolder,
    log: state.log,
    signal: state.options.signal,
    pidDir: state.options.pidDir,
    onProgress: (entries) => {
      for (const entry of entries) {
        state.progress.updateRendition(entry.quality, 'in_progress', entry.percent);
      }
    },
  });
  for (const output of outputs) {
    await markRenditionVerified(state.attemptFolder, output);
    state.progress.updateRendition(output.name, 'completed', 100);
    await recordQualityProgress(state.ctx.db, state.job.jobId, {
      quality: output.name,
      status: 'completed',
      progressPercent: 100,
      segmentsTotal: output.segmentCount,
      segmentsCompleted: output.segmentCount,
    });
    state.log.info({ quality: output.name, segments: output.segmentCount }, 'rendition finished');
  }
  return outputs;
}

async function stepMasterPlaylist(state: RunState): Promise<void> {
  await state.progress.enterStep('master_playlist');
  await writeMasterPlaylist(state.attemptFolder, state.outputs ?? []);
}

/**
 * Publishes the output and records it in one transaction that holds the job's row lock,
 * so only the lease holder publishes, and the video turns ready only with its files in place.
 */
async function stepFinalize(state: RunState): Promise<TranscodeOutcome> {
  await state.progress.enterStep('finalize');
  const { ctx, job, options } = state;
  const source = requireSource(state);
  const outputs = state.outputs ?? [];

  const published = await ctx.db.transaction().execute(async (trx) => {
    const held = await trx
      .selectFrom('transcoding_jobs')
      .select('id')
      .where('id', '=', job.jobId)
      .where('worker_id', '=', job.workerId)
      .where('completed_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    const video = await trx
      .selectFrom('videos')
      .select(['slug', 'thumbnail_source'])
      .where('id', '=', job.videoId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!held || !video) return false;

    await publishAttempt({
      paths: ctx.paths,
      videoId: job.videoId,
      attemptFolder: state.attemptFolder,
      target: publishedDir(ctx.paths, video.slug),
      renditionNames: new Set(outputs.map((o) => o.name)),
      keepPoster: (video.thumbnail_source ?? 'auto') !== 'auto',
    });
    await trx.deleteFrom('video_qualities').where('video_id', '=', job.videoId).execute();
    await trx
      .insertInto('video_qualities')
      .values(
        outputs.map((o) => ({
          video_id: job.videoId,
          quality: o.name,
          width: o.width,
          height: o.height,
          bitrate: o.videoBitrateKbps,
        })),
      )
      .execute();
    await trx
      .updateTable('videos')
      .set({
        duration: source.durationSeconds,
        source_width: source.video.width,
        source_height: source.video.height,
        status: 'ready',
        error_message: null,
        published_at: sql<Date>`coalesce(published_at, now())`,
      })
      .where('id', '=', job.videoId)
      .execute();
    // Seek-bar previews are made after every transcode, behind any waiting transcodes.
    await enqueueSpriteJob(trx, job.videoId, 'normal');
    return completeJob(trx, job.jobId, { workerId: job.workerId, workerName: options.workerName });
  });

  if (!published) {
    state.log.warn('lease lost before publishing; output left for the next attempt');
    return { outcome: 'lost' };
  }
  await removeWorkFolder(ctx.paths, job.videoId);
  ctx.bus.emit('video.status', { videoId: job.videoId, status: 'ready', errorMessage: null });
  state.log.info({ renditions: outputs.map((o) => o.name) }, 'video ready');
  return { outcome: 'ready', renditions: outputs.map((o) => o.name) };
}

/**
 * Records a failed run. A stop asked for (shutdown, lost lease) is not a failure: the work
 * folder is kept for the next attempt. A final failure removes all partial output.
 */
async function handleFailure(
  ctx: JobContext,
  job: ClaimedTranscodingJob,
  options: TranscodeJobOptions,
  run: { log: Logger; progress: JobProgress },
  error: unknown,
): Promise<TranscodeOutcome> {
  await run.progress.flush().catch(() => undefined);
  if (options.signal.aborted) {
    run.log.info({ reason: String(options.signal.reason) }, 'transcoding job stopped');
    return { outcome: 'cancelled' };
  }
  const failure = summarizeFailure(error);
  if (failure.code === 'UNEXPECTED') run.log.error({ err: error }, 'transcoding attempt failed');
  else run.log.warn({ err: error, code: failure.code }, 'transcoding attempt failed');
  markUnfinishedRenditions(run.progress);
  await run.progress.flush().catch(() => undefined);

  const result = await failJob(ctx.db, job.jobId, { ...failure, workerId: job.workerId });
  if (result.outcome === 'lost') return { outcome: 'lost' };
  if (result.outcome === 'failed') {
    await removeWorkFolder(ctx.paths, job.videoId);
    ctx.bus.emit('video.status', {
      videoId: job.videoId,
      status: 'failed',
      errorMessage: failure.message,
    });
  } else {
    // Verified renditions stay in the attempt folder; the next attempt validates and keeps them.
    ctx.bus.emit('video.status', { videoId: job.videoId, status: 'pending', errorMessage: null });
  }
  return { outcome: result.outcome, code: failure.code, message: failure.message };
}

function markUnfinishedRenditions(progress: JobProgress): void {
  for (const rendition of progress.snapshot()) {
    if (rendition.status === 'in_progress') {
      progress.updateRendition(rendition.quality, 'failed', rendition.progress_percent);
    }
  }
}
