import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src-main/events/bus';
import { startLocalWorker } from '../../src-main/jobs/local-worker';
import { dataPaths, publishedDir, type DataPaths } from '../../src-main/library/paths';
import { createLogger } from '../../src-main/log';
import { reapOrphanedFfmpeg } from '../../src-main/media/runner';
import { locateMediaTools, type MediaTools } from '../../src-main/media/tools';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { fixturePath } from '../support/fixtures';

const repo = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const workerId = '00000000-0000-4000-8000-00000000c0de';
const log = createLogger('test.jobs-crash');

/** A studio worker in its own process, to be killed with SIGKILL part way through a job. */
const childScript = (root: string) => `
import { connectLibrary } from '${repo}/db/connection';
import { StudioEventBus } from '${repo}/src-main/events/bus';
import { startLocalWorker } from '${repo}/src-main/jobs/local-worker';
import { dataPaths } from '${repo}/src-main/library/paths';
import { createLogger } from '${repo}/src-main/log';
import { locateMediaTools } from '${repo}/src-main/media/tools';

const [url, workerId, pidDir] = process.argv.slice(2);
const { db } = connectLibrary(url);
const media = await locateMediaTools({
  ffmpegPath: process.env.VLOG_FFMPEG_PATH,
  ffprobePath: process.env.VLOG_FFPROBE_PATH,
});
const bus = new StudioEventBus();
bus.on('job.progress', (e) => {
  if (e.renditions.some((r) => r.progress_percent >= 20)) console.log('TRANSCODING');
});
const paths = dataPaths(${JSON.stringify(root)});
await startLocalWorker({ db, paths, bus, media }, { log: createLogger('child'), workerId, pidDir });
`;

let database: TestDatabase;
let paths: DataPaths;
let media: MediaTools;

beforeAll(async () => {
  database = await createTestDatabase('jobs_crash');
  paths = dataPaths(await mkdtemp(path.join(os.tmpdir(), 'vlog-crash-')));
  for (const folder of [paths.uploads, paths.videos, paths.work]) await mkdir(folder);
  media = await locateMediaTools({
    ffmpegPath: process.env['VLOG_FFMPEG_PATH'],
    ffprobePath: process.env['VLOG_FFPROBE_PATH'],
  });
});

afterAll(async () => {
  await database?.drop();
  if (paths) await rm(paths.root, { recursive: true, force: true });
});

/** Runs the child worker until it reports transcoding progress, then kills it with SIGKILL. */
async function crashDuringTranscode(pidDir: string): Promise<void> {
  const script = path.join(paths.root, 'worker-child.mts');
  await writeFile(script, childScript(paths.root));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, database.url, workerId, pidDir],
    {
      cwd: repo,
      env: { ...process.env, VLOG_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('TRANSCODING')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code}): ${output}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('a studio killed part way through a transcode', () => {
  it('resumes the job after a restart and publishes only complete, verified output', async () => {
    const { db } = database;
    const video = await db
      .insertInto('videos')
      .values({ title: 'Friday', slug: 'friday-crash', status: 'pending' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const job = await db
      .insertInto('transcoding_jobs')
      .values({ video_id: video.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await copyFile(fixturePath('friday.mp4'), path.join(paths.uploads, `${video.id}.mp4`));
    const pidDir = path.join(paths.root, 'run', 'ffmpeg');

    await crashDuringTranscode(pidDir);
    reapOrphanedFfmpeg(pidDir, log);
    const held = await db
      .selectFrom('transcoding_jobs')
      .select(['worker_id', 'completed_at'])
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(held).toEqual({ worker_id: workerId, completed_at: null });
    expect(await readdir(paths.videos)).toEqual([]);

    const bus = new StudioEventBus();
    const ready = new Promise<void>((resolve) => {
      bus.on('video.status', (e) => {
        if (e.status === 'ready') resolve();
      });
    });
    const worker = await startLocalWorker({ db, paths, bus, media }, { log, workerId, pidDir });
    await ready;
    await worker.stop();

    const after = await db
      .selectFrom('transcoding_jobs')
      .select(['attempt_number', 'completed_at'])
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(after.attempt_number).toBe(2);
    expect(after.completed_at).not.toBeNull();
    const folder = publishedDir(paths, 'friday-crash');
    for (const quality of ['480p', '360p']) {
      const playlist = await readFile(path.join(folder, quality, 'playlist.m3u8'), 'utf8');
      expect(playlist.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
      const total = [...playlist.matchAll(/#EXTINF:([\d.]+)/g)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
      expect(total).toBeGreaterThan(5.5);
      expect(total).toBeLessThan(6.5);
    }
    expect(await readdir(paths.work)).toEqual([]);
    expect(await readdir(pidDir)).toEqual([]);
  });
});
