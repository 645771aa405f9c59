import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../../db/schema';
import { StudioEventBus } from '../../src-main/events/bus';
import { claimNextTranscodingJob } from '../../src-main/jobs/claims';
import { runTranscodeJob, type TranscodeOutcome } from '../../src-main/jobs/transcode-job';
import { dataPaths, publishedDir, type DataPaths } from '../../src-main/library/paths';
import { importLocalSource } from '../../src-main/library/sources';
import { createLogger } from '../../src-main/log';
import { readPlaylist } from '../../src-main/media/hls';
import type { MediaTools } from '../../src-main/media/tools';
import { createTestDatabase } from '../support/database';
import { casePath } from '../support/fixtures';
import { checkerProbe, ffprobeJson, mediaToolsForTests, type StreamInfo } from './media-support';

const execFileAsync = promisify(execFile);
const log = createLogger('test.cases');
log.level = 'warn';

const worker = {
  workerId: '00000000-0000-4000-8000-0000000ca5e5',
  workerName: 'cases test',
  leaseSeconds: 60,
};

/** A video the pipeline was run on: its ids and what came of the run. */
export interface CaseRun {
  videoId: number;
  jobId: number;
  slug: string;
  outcome: TranscodeOutcome;
  /** videos/{slug}/ (exists only when the video was published). */
  folder: string;
}

/** A real test database, a data folder and the media tools, for one test file. */
export interface CaseHarness {
  db: Kysely<Database>;
  paths: DataPaths;
  media: MediaTools;
  /** The independent ffprobe used to check outputs. */
  probe: string;
  /** A temp folder where case scripts write their inputs. */
  inputs: string;
  /** Runs shared/cases scripts (in order, in the inputs folder) with the studio's ffmpeg. */
  runCase(...scripts: string[]): Promise<void>;
  /** Imports a file as a desktop drop does, then claims and runs its job to the end. */
  process(file: string, options?: { paths?: DataPaths }): Promise<CaseRun>;
  close(): Promise<void>;
}

/** Builds the harness; call close() in afterAll. */
export async function startCaseHarness(prefix: string): Promise<CaseHarness> {
  const created = await createTestDatabase(prefix);
  const media = await mediaToolsForTests();
  const root = await mkdtemp(path.join(os.tmpdir(), `vlog-${prefix}-`));
  const paths = dataPaths(path.join(root, 'data'));
  await makeDataFolders(paths);
  const inputs = path.join(root, 'inputs');
  const bin = path.join(root, 'bin');
  await mkdir(inputs);
  await mkdir(bin);
  // The scripts call `ffmpeg` by name: the one on PATH is the studio's own.
  await symlink(media.ffmpegPath, path.join(bin, 'ffmpeg'));
  await symlink(media.ffprobePath, path.join(bin, 'ffprobe'));
  const bus = new StudioEventBus();

  return {
    db: created.db,
    paths,
    media,
    probe: checkerProbe(media),
    inputs,
    async runCase(...scripts) {
      for (const script of scripts) {
        await execFileAsync('bash', [casePath(script)], {
          cwd: inputs,
          env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` },
        });
      }
    },
    async process(file, options = {}) {
      const target = options.paths ?? paths;
      const video = await importLocalSource(created.db, target, { localPath: file });
      const claim = await claimNextTranscodingJob(created.db, worker);
      expect(claim?.videoId).toBe(video.id);
      const outcome = await runTranscodeJob({ db: created.db, paths: target, bus, media }, claim!, {
        workerName: worker.workerName,
        log,
        signal: new AbortController().signal,
      });
      return {
        videoId: video.id,
        jobId: claim!.jobId,
        slug: video.slug,
        outcome,
        folder: publishedDir(target, video.slug),
      };
    },
    async close() {
      await created.drop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Creates the folders a studio data folder holds. */
export async function makeDataFolders(paths: DataPaths): Promise<void> {
  for (const folder of [paths.uploads, paths.videos, paths.archive, paths.work]) {
    await mkdir(folder, { recursive: true });
  }
}

/** A published rendition, as the database and its folder describe it. */
export interface PublishedRendition {
  quality: string;
  width: number;
  height: number;
  dir: string;
}

/** The renditions a ready video has, in the order the database lists them. */
export async function publishedRenditions(
  h: CaseHarness,
  run: CaseRun,
): Promise<PublishedRendition[]> {
  expect(run.outcome.outcome).toBe('ready');
  const rows = await h.db
    .selectFrom('video_qualities')
    .select(['quality', 'width', 'height'])
    .where('video_id', '=', run.videoId)
    .orderBy('height', 'desc')
    .execute();
  expect(rows.length).toBeGreaterThan(0);
  return rows.map((row) => ({
    quality: row.quality ?? '',
    width: row.width ?? 0,
    height: row.height ?? 0,
    dir: path.join(run.folder, row.quality ?? ''),
  }));
}

/** The video streams of every segment of a rendition. */
export async function renditionVideoStreams(h: CaseHarness, dir: string): Promise<StreamInfo[]> {
  const playlist = await readPlaylist(path.join(dir, 'playlist.m3u8'));
  const streams: StreamInfo[] = [];
  for (const segment of playlist.segments) {
    const result = await ffprobeJson<{ streams: StreamInfo[] }>(
      h.probe,
      path.join(dir, segment.uri),
      ['-show_streams', '-select_streams', 'v'],
    );
    streams.push(...result.streams);
  }
  return streams;
}

/** The poster's single picture stream. */
export async function posterStream(h: CaseHarness, run: CaseRun): Promise<StreamInfo> {
  const poster = path.join(run.folder, 'thumbnail.jpg');
  expect((await stat(poster)).size).toBeGreaterThan(0);
  const result = await ffprobeJson<{ streams: StreamInfo[] }>(h.probe, poster, ['-show_streams']);
  return result.streams[0]!;
}

/** The master playlist's text. */
export function masterText(run: CaseRun): Promise<string> {
  return readFile(path.join(run.folder, 'master.m3u8'), 'utf8');
}

/** Checks what a failed job must leave: one attempt, no retry, nothing published or in work/. */
export async function expectFinalFailure(
  h: CaseHarness,
  run: CaseRun,
  expected: { code: string; message: RegExp },
  paths: DataPaths = h.paths,
): Promise<void> {
  expect(run.outcome).toMatchObject({ outcome: 'failed', code: expected.code });
  const video = await h.db
    .selectFrom('videos')
    .select(['status', 'error_message'])
    .where('id', '=', run.videoId)
    .executeTakeFirstOrThrow();
  expect(video.status).toBe('failed');
  expect(video.error_message).toMatch(expected.message);
  const job = await h.db
    .selectFrom('transcoding_jobs')
    .select(['attempt_number', 'worker_id', 'completed_at'])
    .where('id', '=', run.jobId)
    .executeTakeFirstOrThrow();
  expect(job.attempt_number).toBe(1);
  expect(job.worker_id).toBeNull();
  // Final: nothing is left for a worker to claim again.
  expect(await claimNextTranscodingJob(h.db, worker)).toBeNull();
  expect(await pathExists(run.folder)).toBe(false);
  expect(await readdir(paths.work)).not.toContain(String(run.videoId));
  const published = await h.db
    .selectFrom('video_qualities')
    .select('id')
    .where('video_id', '=', run.videoId)
    .execute();
  expect(published).toEqual([]);
}

/** True when something exists at `target`. */
export function pathExists(target: string): Promise<boolean> {
  return stat(target).then(
    () => true,
    () => false,
  );
}

/** Reads a stored duration (NUMERIC comes back as a string) as a number. */
export async function storedDuration(h: CaseHarness, run: CaseRun): Promise<number> {
  const row = await h.db
    .selectFrom('videos')
    .select('duration')
    .where('id', '=', run.videoId)
    .executeTakeFirstOrThrow();
  return Number(row.duration);
}
