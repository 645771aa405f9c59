import { execFile, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema';
import { StudioEventBus, type StudioEvents } from '../../src-main/events/bus';
import { claimNextTranscodingJob } from '../../src-main/jobs/claims';
import { startLocalWorker } from '../../src-main/jobs/local-worker';
import { runTranscodeJob } from '../../src-main/jobs/transcode-job';
import { dataPaths, publishedDir, type DataPaths } from '../../src-main/library/paths';
import { createLogger } from '../../src-main/log';
import { liveFfmpegCount } from '../../src-main/media/runner';
import { locateMediaTools, type MediaTools } from '../../src-main/media/tools';
import { createTestDatabase } from '../support/database';
import { fixturePath } from '../support/fixtures';

const execFileAsync = promisify(execFile);
const log = createLogger('test.jobs-pipeline');
const worker = {
  workerId: '00000000-0000-4000-8000-00000000a001',
  workerName: 'pipeline test',
  leaseSeconds: 60,
};

let db: Kysely<Database>;
let drop: () => Promise<void>;
let media: MediaTools;
let paths: DataPaths;
let bus: StudioEventBus;
let serial = 0;

beforeAll(async () => {
  const created = await createTestDatabase('jobs_pipeline');
  db = created.db;
  drop = created.drop;
  media = await locateMediaTools({
    ffmpegPath: process.env['VLOG_FFMPEG_PATH'],
    ffprobePath: process.env['VLOG_FFPROBE_PATH'],
  });
  paths = dataPaths(await mkdtemp(path.join(os.tmpdir(), 'vlog-jobs-')));
  for (const folder of [paths.uploads, paths.videos, paths.archive, paths.work]) {
    await mkdir(folder, { recursive: true });
  }
  bus = new StudioEventBus();
});

afterAll(async () => {
  await drop?.();
  if (paths) await rm(paths.root, { recursive: true, force: true });
});

/** An uploaded video as the studio keeps it: a row, its job, and uploads/{id}.{ext}. */
async function upload(fixture: string) {
  serial += 1;
  const slug = `${path.parse(fixture).name.replace(/_/g, '-')}-${serial}`;
  const video = await db
    .insertInto('videos')
    .values({ title: fixture, slug, status: 'pending' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const job = await db
    .insertInto('transcoding_jobs')
    .values({ video_id: video.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ext = path.extname(fixture);
  await copyFile(fixturePath(fixture), path.join(paths.uploads, `${video.id}${ext}`));
  return { videoId: video.id, jobId: job.id, slug };
}

async function claimAndRun(signal = new AbortController().signal) {
  const claim = await claimNextTranscodingJob(db, worker);
  expect(claim).not.toBeNull();
  return runTranscodeJob({ db, paths, bus, media }, claim!, {
    workerName: worker.workerName,
    log,
    signal,
  });
}

const exists = (target: string) =>
  stat(target).then(
    () => true,
    () => false,
  );

async function probeDimensions(file: string): Promise<{ width: number; height: number }> {
  const { stdout } = await execFileAsync(media.ffprobePath, [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=width,height',
    '-of',
    'json',
    file,
  ]);
  const stream = (JSON.parse(stdout) as { streams: Array<{ width: number; height: number }> })
    .streams[0];
  return { width: stream!.width, height: stream!.height };
}

/** Checks everything a finished job must leave: rows, published files, an empty work folder. */
async function expectPublished(
  ids: { videoId: number; jobId: number; slug: string },
  source: { width: number; height: number; duration: number },
) {
  const video = await db
    .selectFrom('videos')
    .selectAll()
    .where('id', '=', ids.videoId)
    .executeTakeFirstOrThrow();
  expect(video).toMatchObject({
    status: 'ready',
    error_message: null,
    source_width: source.width,
    source_height: source.height,
  });
  expect(video.duration).toBeCloseTo(source.duration, 0);
  expect(video.published_at).not.toBeNull();

  const qualities = await db
    .selectFrom('video_qualities')
    .selectAll()
    .where('video_id', '=', ids.videoId)
    .execute();
  expect(qualities.length).toBeGreaterThanOrEqual(1);
  const progress = await db
    .selectFrom('quality_progress')
    .selectAll()
    .where('job_id', '=', ids.jobId)
    .execute();
  expect(progress.map((p) => p.quality).sort()).toEqual(qualities.map((q) => q.quality).sort());
  for (const row of progress)
    expect(row).toMatchObject({ status: 'completed', progress_percent: 100 });
  const job = await db
    .selectFrom('transcoding_jobs')
    .selectAll()
    .where('id', '=', ids.jobId)
    .executeTakeFirstOrThrow();
  expect(job).toMatchObject({ progress_percent: 100, current_step: 'finalize', attempt_number: 1 });
  expect(job.completed_at).not.toBeNull();

  const folder = publishedDir(paths, ids.slug);
  const master = await readFile(path.join(folder, 'master.m3u8'), 'utf8');
  expect(master).toMatch(/#EXT-X-STREAM-INF/);
  expect(await exists(path.join(folder, 'thumbnail.jpg'))).toBe(true);
  for (const quality of qualities) {
    expect(master).toContain(`RESOLUTION=${quality.width}x${quality.height}`);
    const playlist = await readFile(path.join(folder, quality.quality!, 'playlist.m3u8'), 'utf8');
    expect(playlist.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
    const firstSegment = playlist.split('\n').find((l) => l.trim() && !l.startsWith('#'));
    const dims = await probeDimensions(path.join(folder, quality.quality!, firstSegment!.trim()));
    expect(dims).toEqual({ width: quality.width, height: quality.height });
  }
  expect(await readdir(folder)).not.toContain('.verified');
  expect(await exists(path.join(paths.work, String(ids.videoId)))).toBe(false);
  return qualities;
}

describe('the transcoding pipeline on real clips', () => {
  it('publishes flower.mp4 with its ladder and reports progress on the bus', async () => {
    const ids = await upload('flower.mp4');
    const events: Array<StudioEvents['job.progress']> = [];
    const statuses: string[] = [];
    const offProgress = bus.on('job.progress', (e) => events.push(e));
    const offStatus = bus.on('video.status', (e) => statuses.push(e.status));

    const outcome = await claimAndRun();
    offProgress();
    offStatus();

    expect(outcome).toEqual({ outcome: 'ready', renditions: ['540p', '480p', '360p', '240p'] });
    const qualities = await expectPublished(ids, { width: 960, height: 540, duration: 5 });
    expect(qualities.map((q) => q.quality).sort()).toEqual(['240p', '360p', '480p', '540p']);
    expect(statuses).toEqual(['processing', 'ready']);
    const steps = new Set(events.map((e) => e.step));
    expect([...steps]).toEqual(['probe', 'thumbnail', 'transcode', 'master_playlist', 'finalize']);
    const last = events.at(-1)!;
    expect(last.renditions.every((r) => r.status === 'completed')).toBe(true);
  });

  it('publishes friday.mp4, whose audio stream comes first', async () => {
    const ids = await upload('friday.mp4');
    expect((await claimAndRun()).outcome).toBe('ready');
    await expectPublished(ids, { width: 640, height: 480, duration: 6 });
  });

  it('publishes bug_video_640.mp4, which has no audio', async () => {
    const ids = await upload('bug_video_640.mp4');
    expect((await claimAndRun()).outcome).toBe('ready');
    await expectPublished(ids, { width: 640, height: 360, duration: 6.8 });
    const master = await readFile(path.join(publishedDir(paths, ids.slug), 'master.m3u8'), 'utf8');
    expect(master).not.toContain('mp4a');
  });

  it('fails countdown.mp3 at once with "no video stream", on attempt 1', async () => {
    const ids = await upload('countdown.mp3');
    const outcome = await claimAndRun();
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'NO_VIDEO_STREAM' });

    const video = await db
      .selectFrom('videos')
      .select(['status', 'error_message'])
      .where('id', '=', ids.videoId)
      .executeTakeFirstOrThrow();
    expect(video.status).toBe('failed');
    expect(video.error_message).toMatch(/no video stream/i);
    const job = await db
      .selectFrom('transcoding_jobs')
      .selectAll()
      .where('id', '=', ids.jobId)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ attempt_number: 1, worker_id: null });
    expect(await claimNextTranscodingJob(db, worker)).toBeNull();
    expect(await exists(publishedDir(paths, ids.slug))).toBe(false);
    expect(await exists(path.join(paths.work, String(ids.videoId)))).toBe(false);
  });
});

describe('the local worker', () => {
  it('stops a running job on shutdown, and a restart resumes it to ready', async () => {
    const ids = await upload('friday.mp4');
    const options = { log, workerId: worker.workerId, pollIntervalMs: 200 };
    const transcoding = new Promise<void>((resolve) => {
      const off = bus.on('job.progress', (e) => {
        if (e.videoId === ids.videoId && e.step === 'transcode') {
          off();
          resolve();
        }
      });
    });
    const first = await startLocalWorker({ db, paths, bus, media }, options);
    first.wake();
    await transcoding;
    await first.stop();

    const held = await db
      .selectFrom('transcoding_jobs')
      .select(['worker_id', 'attempt_number', 'completed_at'])
      .where('id', '=', ids.jobId)
      .executeTakeFirstOrThrow();
    expect(held).toEqual({ worker_id: null, attempt_number: 1, completed_at: null });
    expect(await exists(publishedDir(paths, ids.slug))).toBe(false);

    const ready = new Promise<void>((resolve) => {
      const off = bus.on('video.status', (e) => {
        if (e.videoId === ids.videoId && e.status === 'ready') {
          off();
          resolve();
        }
      });
    });
    const second = await startLocalWorker({ db, paths, bus, media }, options);
    await ready;
    await second.stop();
    await expectPublished(ids, { width: 640, height: 480, duration: 6 });
  });
});

describe('a lost lease', () => {
  it('stops the running job and its ffmpeg, and publishes nothing', async () => {
    const ids = await upload('flower.mp4');
    const transcoding = new Promise<void>((resolve) => {
      const off = bus.on('job.progress', (e) => {
        if (e.videoId === ids.videoId && e.step === 'transcode') {
          off();
          resolve();
        }
      });
    });
    const local = await startLocalWorker(
      { db, paths, bus, media },
      { log, workerId: worker.workerId, pollIntervalMs: 200, leaseRenewIntervalMs: 200 },
    );
    local.wake();
    await transcoding;
    const thief = '00000000-0000-4000-8000-00000000bbbb';
    await db
      .updateTable('transcoding_jobs')
      .set({ worker_id: thief })
      .where('id', '=', ids.jobId)
      .execute();
    await local.whenIdle();
    await local.stop();

    expect(liveFfmpegCount()).toBe(0);
    expect(await exists(publishedDir(paths, ids.slug))).toBe(false);
    const job = await db
      .selectFrom('transcoding_jobs')
      .select(['worker_id', 'completed_at'])
      .where('id', '=', ids.jobId)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ worker_id: thief, completed_at: null });
    await db.deleteFrom('videos').where('id', '=', ids.videoId).execute();
  });
});

describe('resuming after an interrupted attempt', () => {
  it('keeps renditions an earlier attempt verified instead of encoding them again', async () => {
    const ids = await upload('friday.mp4');
    const controller = new AbortController();
    const off = bus.on('job.progress', (e) => {
      if (e.videoId === ids.videoId && e.step === 'master_playlist') controller.abort();
    });
    expect(await claimAndRun(controller.signal)).toEqual({ outcome: 'cancelled' });
    off();
    expect(await exists(publishedDir(paths, ids.slug))).toBe(false);

    const workRoot = path.join(paths.work, String(ids.videoId));
    const [attempt] = await readdir(workRoot);
    const earlierSegment = path.join(workRoot, attempt!, '480p', 'segment-00000.ts');
    const earlierInode = (await stat(earlierSegment)).ino;
    await db
      .updateTable('transcoding_jobs')
      .set({ worker_id: null, claim_expires_at: null })
      .where('id', '=', ids.jobId)
      .execute();

    const seen: string[] = [];
    const offSeen = bus.on('job.progress', (e) => {
      for (const r of e.renditions) if (r.status === 'in_progress') seen.push(r.quality);
    });
    expect((await claimAndRun()).outcome).toBe('ready');
    offSeen();
    expect(seen).toEqual([]);
    const published = path.join(publishedDir(paths, ids.slug), '480p', 'segment-00000.ts');
    expect((await stat(published)).ino).toBe(earlierInode);
    await expectPublished(ids, { width: 640, height: 480, duration: 6 });
  });

  it('replaces an older published folder whole, keeping files the transcode does not make', async () => {
    const ids = await upload('bug_video_640.mp4');
    expect((await claimAndRun()).outcome).toBe('ready');
    const folder = publishedDir(paths, ids.slug);
    await mkdir(path.join(folder, 'sprites'));
    await copyFile(path.join(folder, 'thumbnail.jpg'), path.join(folder, 'sprites', 'sheet-0.jpg'));
    const oldSegment = (await stat(path.join(folder, '360p', 'segment-00000.ts'))).ino;

    await db
      .updateTable('transcoding_jobs')
      .set({ completed_at: null, worker_id: null, claim_expires_at: null })
      .where('id', '=', ids.jobId)
      .execute();
    await db
      .updateTable('videos')
      .set({ status: 'pending' })
      .where('id', '=', ids.videoId)
      .execute();
    expect((await claimAndRun()).outcome).toBe('ready');

    expect(await exists(path.join(folder, 'sprites', 'sheet-0.jpg'))).toBe(true);
    expect((await stat(path.join(folder, '360p', 'segment-00000.ts'))).ino).not.toBe(oldSegment);
    expect(await readdir(paths.work)).not.toContain(String(ids.videoId));
  });
});

describe('a disk without room for the output', () => {
  it('fails with NO_SPACE before transcoding and publishes nothing', async (context) => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vlog-small-disk-'));
    // A 3 MB disk holds the 1.1 MB source but not three times its size.
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', root]);
    if (mount.status !== 0) {
      await rm(root, { recursive: true, force: true });
      context.skip('cannot mount a small tmpfs here (needs root)');
    }
    try {
      const small = dataPaths(root);
      for (const folder of [small.uploads, small.videos, small.work]) await mkdir(folder);
      const video = await db
        .insertInto('videos')
        .values({ title: 'Big', slug: 'big-on-small-disk', status: 'pending' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('transcoding_jobs').values({ video_id: video.id }).execute();
      await copyFile(fixturePath('flower.mp4'), path.join(small.uploads, `${video.id}.mp4`));

      const claim = await claimNextTranscodingJob(db, worker);
      const outcome = await runTranscodeJob({ db, paths: small, bus, media }, claim!, {
        workerName: worker.workerName,
        log,
        signal: new AbortController().signal,
      });
      expect(outcome).toMatchObject({ outcome: 'failed', code: 'NO_SPACE' });
      const row = await db
        .selectFrom('videos')
        .select(['status', 'error_message'])
        .where('id', '=', video.id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
      expect(row.error_message).toMatch(/Not enough free disk space.*Free some space/);
      expect(await readdir(small.videos)).toEqual([]);
      expect(await readdir(small.work)).toEqual([]);
    } finally {
      spawnSync('umount', [root]);
      await rm(root, { recursive: true, force: true });
    }
  });
});
