import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { StudioContext } from '../context';
import { publishedDir, type DataPaths } from '../library/paths';
import type { Logger } from '../log';
import { probeSource } from '../media/probe';
import {
  generateSprites,
  SPRITE_DIR,
  SPRITE_VTT_NAME,
  type SpriteSettings,
} from '../media/sprites';
import { summarizeFailure } from './errors';
import {
  claimNextSpriteJob,
  completeSpriteJob,
  failSpriteJob,
  releaseSpriteJob,
  type ClaimedSpriteJob,
} from './sprite-queue';
import { findSourceFile } from './work-folder';

type SpriteJobContext = Pick<StudioContext, 'db' | 'paths' | 'media'>;

/** What became of one sprite job. */
export type SpriteOutcome =
  | { outcome: 'completed'; sheets: number; decode: string; elapsedMs: number }
  | { outcome: 'failed'; code: string; message: string }
  | { outcome: 'stopped' };

export interface SpriteJobOptions {
  log: Logger;
  signal: AbortSignal;
  pidDir?: string | undefined;
  settings?: SpriteSettings;
}

/** The private folder sheets are written to before they replace the published ones. */
function spriteWorkDir(paths: DataPaths, videoId: number): string {
  return path.join(paths.work, `sprites-${videoId}`);
}

/** Claims and runs the next sprite job; null when the queue is empty. */
export async function runNextSpriteJob(
  ctx: SpriteJobContext,
  options: SpriteJobOptions,
): Promise<SpriteOutcome | null> {
  const job = await claimNextSpriteJob(ctx.db);
  if (!job) return null;
  return runSpriteJob(ctx, job, options);
}

/**
 * Makes the sheets and the thumbnails track in a work folder, then swaps them into
 * videos/{slug}/ so viewers never see half of a new set.
 */
export async function runSpriteJob(
  ctx: SpriteJobContext,
  job: ClaimedSpriteJob,
  options: SpriteJobOptions,
): Promise<SpriteOutcome> {
  const log = options.log.child({ videoId: job.videoId, spriteJobId: job.jobId });
  const work = spriteWorkDir(ctx.paths, job.videoId);
  log.info({ priority: job.priority }, 'sprite job started');
  try {
    const input = await findSourceFile(ctx.paths, job.videoId);
    const source = await probeSource(ctx.media, input, { log, signal: options.signal });
    await rm(work, { recursive: true, force: true });
    const result = await generateSprites({
      tools: ctx.media,
      input,
      source,
      outputDir: work,
      log,
      signal: options.signal,
      pidDir: options.pidDir,
      ...(options.settings ? { settings: options.settings } : {}),
    });
    await publishSprites(work, publishedDir(ctx.paths, job.slug));
    await completeSpriteJob(ctx.db, job, result.plan);
    const { decode, sheetCount } = result.plan;
    log.info({ decode, sheets: sheetCount, elapsedMs: result.elapsedMs }, 'sprite job done');
    return { outcome: 'completed', sheets: sheetCount, decode, elapsedMs: result.elapsedMs };
  } catch (error) {
    if (options.signal.aborted) {
      await releaseSpriteJob(ctx.db, job.jobId);
      log.info('sprite job stopped; it waits in the queue');
      return { outcome: 'stopped' };
    }
    const failure = summarizeFailure(error);
    log.warn({ err: error, code: failure.code }, 'sprite job failed');
    await failSpriteJob(ctx.db, job, failure.message);
    return { outcome: 'failed', code: failure.code, message: failure.message };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Replaces sprites/ and thumbnails.vtt in the published folder with the new ones. */
async function publishSprites(work: string, target: string): Promise<void> {
  await mkdir(target, { recursive: true });
  const sheets = path.join(target, SPRITE_DIR);
  const old = path.join(target, `.${SPRITE_DIR}-old`);
  await rm(old, { recursive: true, force: true });
  await rename(sheets, old).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(path.join(work, SPRITE_DIR), sheets);
  await rename(path.join(work, SPRITE_VTT_NAME), path.join(target, SPRITE_VTT_NAME));
  await rm(old, { recursive: true, force: true });
}
