import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../src-main/events/bus';
import { startLocalWorker } from '../../src-main/jobs/local-worker';
import { dataPaths, publishedDir } from '../../src-main/library/paths';
import { createLogger } from '../../src-main/log';
import { reapOrphanedFfmpeg } from '../../src-main/media/runner';
import { locateMediaTools } from '../../src-main/media/tools';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  attemptFiles,
  ffmpegBuilds,
  fileIdentity,
  processesMentioning,
  runWorkerUntilKilled,
} from './recovery-support';

const execFileAsync = promisify(execFile);
const log = createLogger('test.recovery-resume');
const SOURCE_SECONDS = 20;
const QUALITIES = ['480p', '360p', '240p'];

let database: TestDatabase;
let scratch: string;
let sourceFile: string;

beforeAll(async () => {
  database = await createTestDatabase('recovery_resume');
  scratch = await mkdtemp(path.join(os.tmpdir(), 'vlog-resume-'));
  sourceFile = path.join(scratch, 'source.mp4');
  // 854x480 gives a two-rendition ladder (480p, 360p): both must resume at one boundary.
  await execFileAsync('/usr/bin/ffmpeg', [
    ...['-nostdin', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=854x480:rate=15:duration=${SOURCE_SECONDS}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${SOURCE_SECONDS}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', sourceFile],
  ]);
}, 60_000);

afterAll(async () => {
  await database?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function durations(playlist: string): number[] {
  return [...playlist.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]));
}

async function countVideoPackets(playlistFile: string): Promise<number> {
  const { stdout } = await execFileAsync('/usr/bin/ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-count_packets'],
    ...['-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', playlistFile],
  ]);
  return Number(stdout.trim().split(/\s+/)[0]);
}

describe.each(ffmpegBuilds())('a ladder killed part way ($name ffmpeg)', ({ name, ffmpegPath }) => {
  it('keeps the finished segments of every rendition and encodes only the rest', async () => {
    const { db } = database;
    const paths = dataPaths(await mkdtemp(path.join(scratch, 'data-')));
    for (const folder of [paths.uploads, paths.videos, paths.work]) await mkdir(folder);
    const slug = `resume-${name.replace(/\W+/g, '-')}`;
    const video = await db
      .insertInto('videos')
      .values({ title: 'Resume', slug, status: 'pending' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const job = await db
      .insertInto('transcoding_jobs')
      .values({ video_id: video.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await execFileAsync('cp', [sourceFile, path.join(paths.uploads, `${video.id}.mp4`)]);
    const pidDir = path.join(paths.root, 'run', 'ffmpeg');
    const workerId = '00000000-0000-4000-8000-0000000e5e7e';

    // Killed once segment 2 was opened in both renditions: segments 0 and 1 are whole.
    const third = (quality: string) =>
      attemptFiles(paths, video.id, path.join(quality, 'segment-00002.ts'));
    await runWorkerUntilKilled({
      paths,
      databaseUrl: database.url,
      workerId,
      pidDir,
      ffmpegPath,
      timeoutMs: 150_000,
      ready: async () => (await Promise.all(QUALITIES.map(third))).every((f) => f.length > 0),
    });
    reapOrphanedFfmpeg(pidDir, log);
    // A folder written to within 2 s may have a live ffmpeg behind it: a restart waits that out.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await readdir(paths.videos)).toEqual([]);
    const before = new Map<string, string>();
    for (const quality of QUALITIES) {
      for (const segment of ['segment-00000.ts', 'segment-00001.ts']) {
        const [file] = await attemptFiles(paths, video.id, path.join(quality, segment));
        expect(file).toBeDefined();
        before.set(`${quality}/${segment}`, await fileIdentity(file ?? ''));
      }
    }

    const media = await locateMediaTools({ ffmpegPath });
    const bus = new StudioEventBus();
    const keptPercents: number[] = [];
    bus.on('job.progress', (e) => {
      if (e.step === 'transcode') keptPercents.push(e.percent);
    });
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

    const folder = publishedDir(paths, slug);
    for (const quality of QUALITIES) {
      // The kept segments are the very files the killed run wrote: not encoded twice.
      for (const segment of ['segment-00000.ts', 'segment-00001.ts']) {
        const identity = await fileIdentity(path.join(folder, quality, segment));
        expect(identity).toBe(before.get(`${quality}/${segment}`));
      }
      const playlistFile = path.join(folder, quality, 'playlist.m3u8');
      const playlist = await readFile(playlistFile, 'utf8');
      expect(playlist.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
      expect(playlist).toContain('#EXT-X-DISCONTINUITY');
      const total = durations(playlist).reduce((sum, d) => sum + d, 0);
      expect(Math.abs(total - SOURCE_SECONDS)).toBeLessThan(0.5);
      // Every frame once: no gap and no overlap where the two runs meet.
      const frames = await countVideoPackets(playlistFile);
      expect(Math.abs(frames - SOURCE_SECONDS * 15)).toBeLessThanOrEqual(2);
    }
    const rows = await db
      .selectFrom('quality_progress')
      .select(['quality', 'status', 'segments_total', 'segments_completed'])
      .where('job_id', '=', job.id)
      .orderBy('quality')
      .execute();
    expect(rows.map((r) => r.status)).toEqual(QUALITIES.map(() => 'completed'));
    for (const row of rows) expect(row.segments_completed).toBe(row.segments_total);
    expect(await readdir(paths.work)).toEqual([]);
    expect(await processesMentioning(paths.root)).toEqual([]);
  }, 240_000);
});
