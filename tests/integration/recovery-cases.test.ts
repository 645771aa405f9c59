import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src-main/events/bus';
import { claimNextTranscodingJob } from '../../src-main/jobs/claims';
import { startLocalWorker } from '../../src-main/jobs/local-worker';
import { runTranscodeJob } from '../../src-main/jobs/transcode-job';
import { dataPaths, publishedDir, type DataPaths } from '../../src-main/library/paths';
import { createLogger } from '../../src-main/log';
import { validateRenditionOutput } from '../../src-main/media/hls';
import { reapOrphanedFfmpeg } from '../../src-main/media/runner';
import { locateMediaTools, type MediaTools } from '../../src-main/media/tools';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { casePath } from '../support/fixtures';
import { fileIdentity, processesMentioning, runWorkerUntilKilled } from './recovery-support';

const execFileAsync = promisify(execFile);
const log = createLogger('test.recovery-cases');
const ffmpegPath = process.env['VLOG_FFMPEG_PATH'] ?? '/usr/bin/ffmpeg';

let database: TestDatabase;
let caseDir: string;
let media: MediaTools;

/** Runs a case script in the case folder with the ffmpeg under test first on PATH. */
async function runCase(name: string): Promise<void> {
  await execFileAsync('bash', [casePath(name)], {
    cwd: caseDir,
    env: { ...process.env, PATH: `${path.dirname(ffmpegPath)}:${process.env['PATH'] ?? ''}` },
  });
}

beforeAll(async () => {
  database = await createTestDatabase('recovery_cases');
  caseDir = await mkdtemp(path.join(os.tmpdir(), 'vlog-cases-recovery-'));
  media = await locateMediaTools({ ffmpegPath });
  await runCase('22_killed_midway.sh');
}, 120_000);

afterAll(async () => {
  await database?.drop();
  if (caseDir) await rm(caseDir, { recursive: true, force: true });
});

async function newDataFolder(): Promise<DataPaths> {
  const paths = dataPaths(await mkdtemp(path.join(caseDir, 'data-')));
  for (const folder of [paths.uploads, paths.videos, paths.work]) await mkdir(folder);
  return paths;
}

async function addVideo(paths: DataPaths, slug: string): Promise<{ id: number; jobId: number }> {
  const { db } = database;
  const video = await db
    .insertInto('videos')
    .values({ title: slug, slug, status: 'pending' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const job = await db
    .insertInto('transcoding_jobs')
    .values({ video_id: video.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const source = path.join(caseDir, '22_source_5s.mp4');
  await copyFile(source, path.join(paths.uploads, `${video.id}.mp4`));
  return { id: video.id, jobId: job.id };
}

/** Every rendition playlist of a published folder: complete, segments present, 5 s long. */
async function expectCompleteOutput(folder: string): Promise<void> {
  const master = await readFile(path.join(folder, 'master.m3u8'), 'utf8');
  const playlists = master.split('\n').filter((line) => line.endsWith('.m3u8'));
  expect(playlists.length).toBeGreaterThan(0);
  for (const playlist of playlists) {
    const dir = path.dirname(path.join(folder, playlist));
    const checked = await validateRenditionOutput(dir, { expectedDurationSeconds: 5 });
    expect(checked.durationSeconds).toBeGreaterThan(4.5);
  }
}

describe('case 22: a transcode killed with SIGKILL part way', () => {
  it('what a killed ffmpeg leaves is never taken for finished output', async () => {
    // (a) VOD playlist type: no playlist at all; (b) list size 0: a playlist without ENDLIST.
    for (const partial of ['22_hls_partial', '22_hls_partial_b']) {
      const check = validateRenditionOutput(path.join(caseDir, partial), {
        expectedDurationSeconds: 5,
        playlistName: 'index.m3u8',
      });
      await expect(check).rejects.toMatchObject({ code: 'OUTPUT_INVALID' });
    }
  });

  it('is picked up again after a restart and published whole, never half-made', async () => {
    const paths = await newDataFolder();
    const video = await addVideo(paths, 'case-22');
    const pidDir = path.join(paths.root, 'run', 'ffmpeg');
    const workerId = '00000000-0000-4000-8000-000000000022';
    // Killed the moment the ladder's ffmpeg is running (its pid file is written).
    await runWorkerUntilKilled({
      paths,
      databaseUrl: database.url,
      workerId,
      pidDir,
      ffmpegPath,
      timeoutMs: 90_000,
      ready: async () => (await readdir(pidDir).catch(() => [])).length > 0,
    });
    reapOrphanedFfmpeg(pidDir, log);
    expect(await processesMentioning(paths.root)).toEqual([]);
    expect(await readdir(paths.videos)).toEqual([]);
    const killed = await database.db
      .selectFrom('videos')
      .select('status')
      .where('id', '=', video.id)
      .executeTakeFirstOrThrow();
    expect(killed.status).toBe('processing');

    const bus = new StudioEventBus();
    const ready = new Promise<void>((resolve) =>
      bus.on('video.status', (e) => e.status === 'ready' && resolve()),
    );
    const worker = await startLocalWorker(
      { db: database.db, paths, bus, media },
      { log, workerId, pidDir },
    );
    await ready;
    await worker.stop();
    await expectCompleteOutput(publishedDir(paths, 'case-22'));
    expect(await readdir(paths.work)).toEqual([]);
  }, 150_000);
});

describe('case 23: the same job run by two workers', () => {
  it('exactly one of two simultaneous claims wins', async () => {
    const paths = await newDataFolder();
    await addVideo(paths, 'case-23-claims');
    const claim = (workerId: string) =>
      claimNextTranscodingJob(database.db, { workerId, workerName: workerId, leaseSeconds: 60 });
    const [a, b] = await Promise.all([
      claim('00000000-0000-4000-8000-0000000000a1'),
      claim('00000000-0000-4000-8000-0000000000b1'),
    ]);
    expect([a, b].filter((c) => c !== null)).toHaveLength(1);
  });

  it('a stale worker never publishes, and the published playlists stay whole', async () => {
    const { db } = database;
    const paths = await newDataFolder();
    await runCase('23_concurrent_workers.sh');
    const video = await addVideo(paths, 'case-23');
    // Skip the earlier test's video: only this one is pending without a claim.
    await db
      .updateTable('transcoding_jobs')
      .set({ completed_at: new Date() })
      .where('video_id', '!=', video.id)
      .execute();
    const options = (workerId: string) => ({ workerId, workerName: workerId, leaseSeconds: 60 });
    const stale = await claimNextTranscodingJob(
      db,
      options('00000000-0000-4000-8000-0000000000a2'),
    );
    expect(stale?.jobId).toBe(video.jobId);
    // Worker A stops answering: its lease runs out and worker B takes the job over.
    await db
      .updateTable('transcoding_jobs')
      .set({ claim_expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', video.jobId)
      .execute();
    const fresh = await claimNextTranscodingJob(
      db,
      options('00000000-0000-4000-8000-0000000000b2'),
    );
    expect(fresh?.attemptNumber).toBe(2);
    if (!stale || !fresh) throw new Error('both claims were expected');

    const bus = new StudioEventBus();
    const run = (job: typeof stale) =>
      runTranscodeJob({ db, paths, bus, media }, job, {
        workerName: job.workerId,
        log,
        signal: new AbortController().signal,
      });
    const folder = publishedDir(paths, 'case-23');
    const b = await run(fresh);
    expect(b.outcome).toBe('ready');
    await expectCompleteOutput(folder);
    const published = await fileIdentity(path.join(folder, '360p', 'segment-00000.ts'));

    // A, unaware, runs the whole job again; a viewer polling meanwhile sees B's output whole.
    let running = true;
    const a = run(stale).finally(() => (running = false));
    let snapshots = 0;
    while (running) {
      await expectCompleteOutput(folder);
      snapshots++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await a).outcome).toBe('lost');
    expect(snapshots).toBeGreaterThan(0);
    expect(await fileIdentity(path.join(folder, '360p', 'segment-00000.ts'))).toBe(published);
    const row = await db
      .selectFrom('transcoding_jobs')
      .select(['processed_by_worker_id', 'attempt_number'])
      .where('id', '=', video.jobId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ processed_by_worker_id: fresh.workerId, attempt_number: 2 });
    expect(existsSync(path.join(caseDir, '23_snapshot_while_B_runs'))).toBe(true);
  }, 150_000);
});
