import { createHash } from 'node:crypto';
import { readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { Logger } from '../log';
import { buildLadderArgs, DEFAULT_SEGMENT_SECONDS } from '../media/commands';
import type { Rendition } from '../media/ladder';
import type { SourceInfo } from '../media/probe';
import { hasSegments, planLadderResume, type LadderResume } from '../media/resume';
import { chooseAudioStream } from '../media/transcode';
import { recordQualityProgress } from './claims';

/** Inside an attempt folder (never published): what its ladder run was asked to make. */
const RUN_PLAN_FILE = path.join('.verified', 'ladder-run.json');

/**
 * A fingerprint of one ladder run: the source file (path, size, time) and the exact ffmpeg
 * arguments. Segments of an interrupted run are kept only by a run with the same one, so a
 * replaced source or a changed ladder, codec or format never mixes into the output.
 */
export async function ladderRunFingerprint(
  sourceFile: string,
  source: SourceInfo,
  renditions: readonly Rendition[],
): Promise<string> {
  const info = await stat(sourceFile);
  const args = buildLadderArgs({
    input: sourceFile,
    source,
    renditions,
    outputDir: '/',
    audioIndex: chooseAudioStream(source),
  });
  const text = JSON.stringify({ sourceFile, size: info.size, mtime: info.mtimeMs, args });
  return createHash('sha256').update(text).digest('hex');
}

/** Notes in the attempt folder which ladder run it holds, before ffmpeg starts. */
export async function writeRunPlan(attemptFolder: string, fingerprint: string): Promise<void> {
  await writeFile(path.join(attemptFolder, RUN_PLAN_FILE), fingerprint);
}

/** Quiet this long before an interrupted run's segments are taken over (a live ffmpeg
 * writes its open segment several times a second). */
const QUIET_MS = 2000;

async function recentlyWritten(folder: string, names: readonly string[]): Promise<boolean> {
  for (const name of names) {
    const dir = path.join(folder, name);
    for (const file of await readdir(dir).catch(() => [] as string[])) {
      const info = await stat(path.join(dir, file)).catch(() => null);
      if (info && Date.now() - info.mtimeMs < QUIET_MS) return true;
    }
  }
  return false;
}

async function readRunPlan(folder: string): Promise<string | null> {
  return readFile(path.join(folder, RUN_PLAN_FILE), 'utf8').catch(() => null);
}

/**
 * Moves the partial output of the newest earlier attempt that ran this same ladder into the
 * current attempt folder. Returns the folder it came from, or null when none fits.
 */
export async function adoptInterruptedRun(options: {
  earlierFolders: readonly string[];
  attemptFolder: string;
  renditionNames: readonly string[];
  fingerprint: string;
}): Promise<string | null> {
  const { renditionNames, attemptFolder } = options;
  if (renditionNames.length === 0) return null;
  for (const folder of options.earlierFolders) {
    if ((await readRunPlan(folder)) !== options.fingerprint) continue;
    // A folder written to moments ago may still have a live (stale) ffmpeg behind it.
    if (await recentlyWritten(folder, renditionNames)) continue;
    const complete = await Promise.all(
      renditionNames.map((name) => hasSegments(path.join(folder, name))),
    );
    if (!complete.every(Boolean)) continue;
    for (const name of renditionNames) {
      await rm(path.join(attemptFolder, name), { recursive: true, force: true });
      await rename(path.join(folder, name), path.join(attemptFolder, name));
    }
    return folder;
  }
  return null;
}

/** What the job needs to continue an interrupted ladder in its attempt folder. */
export interface ResumeContext {
  db: Kysely<Database>;
  log: Logger;
  jobId: number;
  attemptFolder: string;
  source: SourceInfo;
}

/**
 * Plans the continuation of the ladder whose partial output was adopted into the attempt
 * folder, logs what is kept and records it per rendition in quality_progress
 * (segments_completed = the kept segments). Null when nothing can be kept.
 */
export async function planResume(
  ctx: ResumeContext,
  renditions: readonly Rendition[],
): Promise<LadderResume | null> {
  const resume = await planLadderResume({
    outputDir: ctx.attemptFolder,
    renditionNames: renditions.map((r) => r.name),
    segmentSeconds: DEFAULT_SEGMENT_SECONDS,
  });
  if (!resume) return null;
  const duration = ctx.source.durationSeconds;
  const segmentsTotal = Math.max(resume.startNumber, Math.ceil(duration / DEFAULT_SEGMENT_SECONDS));
  const percent = duration > 0 ? (100 * resume.startSeconds) / duration : 0;
  for (const rendition of renditions) {
    await recordQualityProgress(ctx.db, ctx.jobId, {
      quality: rendition.name,
      status: 'in_progress',
      progressPercent: percent,
      segmentsTotal,
      segmentsCompleted: resume.startNumber,
    });
  }
  ctx.log.info(
    {
      keptSegments: resume.startNumber,
      keptSeconds: Number(resume.startSeconds.toFixed(3)),
      qualities: renditions.map((r) => r.name),
    },
    'ladder resumed: finished segments of the interrupted run kept',
  );
  return resume;
}
